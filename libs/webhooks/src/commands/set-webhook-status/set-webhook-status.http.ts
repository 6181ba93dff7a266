import { Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRole, type Principal } from '@app/platform';
import { expectedVersionFromIfMatch } from '@app/platform';
import type { WebhookView } from '../../application/webhook.view';
import { withEtag, type HeaderSettable } from '@app/platform';
import { requestMetadata } from '@app/platform';
import { WebhookResponse } from '../../http/webhook.responses';
import type { WebhookCommandResult } from '../command-result';
import { SetWebhookStatusCommand } from './set-webhook-status.command';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class SetWebhookStatusHttp {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/activate')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiOkResponse({ type: WebhookResponse })
  activate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: HeaderSettable,
  ): Promise<WebhookView> {
    return this.set(id, true, ifMatch, correlationId, principal, response);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiOkResponse({ type: WebhookResponse })
  deactivate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: HeaderSettable,
  ): Promise<WebhookView> {
    return this.set(id, false, ifMatch, correlationId, principal, response);
  }

  private async set(
    id: string,
    active: boolean,
    ifMatch: string | undefined,
    correlationId: string | undefined,
    principal: Principal,
    response: HeaderSettable,
  ): Promise<WebhookView> {
    const result = await this.commands.execute<SetWebhookStatusCommand, WebhookCommandResult>(
      new SetWebhookStatusCommand(
        id,
        active,
        requestMetadata(principal, correlationId),
        expectedVersionFromIfMatch(ifMatch),
        'read-your-writes',
      ),
    );
    return withEtag(response, result.webhook);
  }
}
