import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { RetryPolicyRepository } from '../../application/retry-policy.repository';
import { viewOfRetryPolicy, type RetryPolicyView } from '../../application/retry-policy.view';
import { GetRetryPolicyQuery } from './get-retry-policy.query';

/** Read straight from the stream: the caller sees its own PUT at once, with no read model to wait for. */
@QueryHandler(GetRetryPolicyQuery)
export class GetRetryPolicyHandler implements IQueryHandler<GetRetryPolicyQuery, RetryPolicyView> {
  constructor(private readonly repository: RetryPolicyRepository) {}

  async execute(): Promise<RetryPolicyView> {
    return viewOfRetryPolicy(await this.repository.load());
  }
}
