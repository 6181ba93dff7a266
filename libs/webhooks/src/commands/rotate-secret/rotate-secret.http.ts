import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRole, type Principal } from '@app/platform';
import { expectedVersionFromIfMatch } from '@app/platform';
import type { WebhookView } from '../../application/webhook.view';
import { withEtag, type HeaderSettable } from '@app/platform';
import { requestMetadata } from '@app/platform';
import { RotateSecretDto } from '../../http/webhook.dtos';
import { RotatedSecretResponse } from '../../http/webhook.responses';
import { RotateSecretCommand } from './rotate-secret.command';
import type { RotatedSecret } from './rotate-secret.handler';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class RotateSecretHttp {
  constructor(private readonly commands: CommandBus) {}

  /** "Generate New Secret": returns the new secret once; the old one signs until the date given. */
  @Post(':id/secret/rotate')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiOkResponse({ type: RotatedSecretResponse })
  async rotate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RotateSecretDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: HeaderSettable,
  ): Promise<WebhookView & { secret: string | null; previousSecretValidUntil: string | null }> {
    const result = await this.commands.execute<RotateSecretCommand, RotatedSecret>(
      new RotateSecretCommand(
        id,
        requestMetadata(principal, correlationId),
        body.secret,
        expectedVersionFromIfMatch(ifMatch),
        'read-your-writes',
        body.signatureScheme,
      ),
    );
    // The new secret in full: no cache (browser, proxy) may keep this answer.
    response.setHeader('Cache-Control', 'no-store');
    return withEtag(response, {
      ...result.webhook,
      secret: result.secret,
      previousSecretValidUntil: result.previousSecretValidUntil,
    });
  }
}
