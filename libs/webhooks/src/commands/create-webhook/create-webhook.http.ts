import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, IdempotencyScope, RequireRole, type Principal } from '@app/platform';
import type { WebhookView } from '../../application/webhook.view';
import { withEtag, type HeaderSettable } from '@app/platform';
import { requestMetadata } from '@app/platform';
import { CreateWebhookDto } from '../../http/webhook.dtos';
import { CreatedWebhookResponse } from '../../http/webhook.responses';
import { CreateWebhookCommand } from './create-webhook.command';
import type { CreatedWebhook } from './create-webhook.handler';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class CreateWebhookHttp {
  constructor(private readonly commands: CommandBus) {}

  /** 201 with the webhook and, this once, its secret in full. */
  @Post()
  @HttpCode(201)
  @RequireRole('admin')
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  async create(
    @Body() body: CreateWebhookDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Res({ passthrough: true }) response: HeaderSettable,
    @IdempotencyScope() idempotencyScope: string | undefined,
  ): Promise<WebhookView & { secret: string | null }> {
    const result = await this.commands.execute<CreateWebhookCommand, CreatedWebhook>(
      new CreateWebhookCommand(
        body,
        requestMetadata(principal, correlationId),
        'read-your-writes',
        idempotencyScope,
      ),
    );
    response.setHeader('Location', `/api/v1/webhooks/${result.webhook.id}`);
    // The secret in full: no cache (browser, proxy) may keep this answer.
    response.setHeader('Cache-Control', 'no-store');
    return withEtag(response, { ...result.webhook, secret: result.secret });
  }
}
