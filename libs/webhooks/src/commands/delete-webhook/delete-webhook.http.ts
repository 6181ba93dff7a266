import { Controller, Delete, Headers, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRole, type Principal } from '@app/platform';
import { expectedVersionFromIfMatch } from '@app/platform';
import { requestMetadata } from '@app/platform';
import { DeleteWebhookCommand } from './delete-webhook.command';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class DeleteWebhookHttp {
  constructor(private readonly commands: CommandBus) {}

  /** 204. The webhook stops receiving events; its history stays readable. */
  @Delete(':id')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiNoContentResponse({ description: 'Deleted: it stays readable with `status: "deleted"`.' })
  async delete(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.commands.execute(
      new DeleteWebhookCommand(
        id,
        requestMetadata(principal, correlationId),
        expectedVersionFromIfMatch(ifMatch),
        'read-your-writes',
      ),
    );
  }
}
