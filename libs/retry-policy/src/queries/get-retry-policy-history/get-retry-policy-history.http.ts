import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '@app/platform';
import type { RetryPolicyHistoryPage } from '../../application/retry-policy-history';
import { RetryPolicyHistoryQueryDto } from '../../http/retry-policy-history.dto';
import { RetryPolicyHistoryPageResponse } from '../../http/retry-policy-history.responses';
import { GetRetryPolicyHistoryQuery } from './get-retry-policy-history.query';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings/retry-policy/history')
export class GetRetryPolicyHistoryHttp {
  constructor(private readonly queries: QueryBus) {}

  /** Every change of the default retry policy, oldest first: version, when, who, from what to what. */
  @Get()
  @RequireRole('auditor')
  @ApiOkResponse({ type: RetryPolicyHistoryPageResponse })
  history(@Query() query: RetryPolicyHistoryQueryDto): Promise<RetryPolicyHistoryPage> {
    return this.queries.execute(
      new GetRetryPolicyHistoryQuery(query.after ?? 0, query.limit ?? 50),
    );
  }
}
