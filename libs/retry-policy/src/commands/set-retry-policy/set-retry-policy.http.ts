import { Body, Controller, Headers, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRole, type Principal } from '@app/platform';
import { expectedVersionFromIfMatch } from '@app/platform';
import { withEtag, type HeaderSettable } from '@app/platform';
import { requestMetadata } from '@app/platform';
import type { RetryPolicyView } from '../../application/retry-policy.view';
import { SetRetryPolicyDto } from '../../http/retry-policy.dto';
import { RetryPolicyResponse } from '../../http/retry-policy.responses';
import { SetRetryPolicyCommand } from './set-retry-policy.command';
import type { SetRetryPolicyResult } from './set-retry-policy.handler';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings/retry-policy')
export class SetRetryPolicyHttp {
  constructor(private readonly commands: CommandBus) {}

  /**
   * Replaces the default retry policy (owners only: it decides how long every endpoint is retried).
   * The same policy as now records nothing. 412 when If-Match names an older version.
   */
  @Put()
  @RequireRole('owner')
  @ApiOkResponse({ type: RetryPolicyResponse })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the edit was based on' })
  async set(
    @Body() body: SetRetryPolicyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: HeaderSettable,
  ): Promise<RetryPolicyView> {
    const result = await this.commands.execute<SetRetryPolicyCommand, SetRetryPolicyResult>(
      new SetRetryPolicyCommand(
        { retryIntervalsSeconds: body.retryIntervalsSeconds, jitter: body.jitter },
        requestMetadata(principal, correlationId),
        expectedVersionFromIfMatch(ifMatch),
      ),
    );
    return withEtag(response, result.policy);
  }
}
