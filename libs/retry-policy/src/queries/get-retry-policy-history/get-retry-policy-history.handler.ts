import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import {
  retryPolicyHistory,
  type RetryPolicyHistoryPage,
} from '../../application/retry-policy-history';
import { RETRY_POLICY_STREAM_ID } from '../../application/retry-policy-stream';
import { GetRetryPolicyHistoryQuery } from './get-retry-policy-history.query';

/** Read straight from the setting's stream (by `streamId` equality): it grows by owner changes only. */
@QueryHandler(GetRetryPolicyHistoryQuery)
export class GetRetryPolicyHistoryHandler implements IQueryHandler<
  GetRetryPolicyHistoryQuery,
  RetryPolicyHistoryPage
> {
  constructor(private readonly store: EventStore) {}

  async execute({ after, limit }: GetRetryPolicyHistoryQuery): Promise<RetryPolicyHistoryPage> {
    return retryPolicyHistory(await this.store.readStream(RETRY_POLICY_STREAM_ID), after, limit);
  }
}
