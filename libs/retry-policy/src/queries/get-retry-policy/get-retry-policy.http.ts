import { Controller, Get, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '@app/platform';
import { withEtag, type HeaderSettable } from '@app/platform';
import type { RetryPolicyView } from '../../application/retry-policy.view';
import { RetryPolicyResponse } from '../../http/retry-policy.responses';
import { GetRetryPolicyQuery } from './get-retry-policy.query';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings/retry-policy')
export class GetRetryPolicyHttp {
  constructor(private readonly queries: QueryBus) {}

  /** The policy in force (the default until an owner sets one), with its version as ETag. */
  @Get()
  @RequireRole('auditor')
  @ApiOkResponse({ type: RetryPolicyResponse })
  async get(@Res({ passthrough: true }) response: HeaderSettable): Promise<RetryPolicyView> {
    const view = await this.queries.execute<GetRetryPolicyQuery, RetryPolicyView>(
      new GetRetryPolicyQuery(),
    );
    return withEtag(response, view);
  }
}
