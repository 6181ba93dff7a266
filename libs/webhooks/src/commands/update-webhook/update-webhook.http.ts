import { Body, Controller, Headers, Param, ParseUUIDPipe, Patch, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRole, type Principal } from '@app/platform';
import { expectedVersionFromIfMatch } from '@app/platform';
import type { WebhookView } from '../../application/webhook.view';
import { withEtag, type HeaderSettable } from '@app/platform';
import { requestMetadata } from '@app/platform';
import { UpdateWebhookDto } from '../../http/webhook.dtos';
import { WebhookResponse } from '../../http/webhook.responses';
import type { WebhookCommandResult } from '../command-result';
import { UpdateWebhookCommand } from './update-webhook.command';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class UpdateWebhookHttp {
  constructor(private readonly commands: CommandBus) {}

  /** 412 when If-Match names an older version than the current one; nothing changes then. */
  @Patch(':id')
  @RequireRole('admin')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the edit was based on' })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateWebhookDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: HeaderSettable,
  ): Promise<WebhookView> {
    const result = await this.commands.execute<UpdateWebhookCommand, WebhookCommandResult>(
      new UpdateWebhookCommand(
        id,
        body,
        requestMetadata(principal, correlationId),
        expectedVersionFromIfMatch(ifMatch),
        'read-your-writes',
      ),
    );
    return withEtag(response, result.webhook);
  }
}
