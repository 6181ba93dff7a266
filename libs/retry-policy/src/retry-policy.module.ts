import { Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RetryPolicyRepository } from './application/retry-policy.repository';
import { SetRetryPolicyHandler } from './commands/set-retry-policy/set-retry-policy.handler';
import { SetRetryPolicyHttp } from './commands/set-retry-policy/set-retry-policy.http';
import { GetRetryPolicyHistoryHandler } from './queries/get-retry-policy-history/get-retry-policy-history.handler';
import { GetRetryPolicyHistoryHttp } from './queries/get-retry-policy-history/get-retry-policy-history.http';
import { GetRetryPolicyHandler } from './queries/get-retry-policy/get-retry-policy.handler';
import { GetRetryPolicyHttp } from './queries/get-retry-policy/get-retry-policy.http';
import { registerRetryPolicyProblems } from './retry-policy-problems';

/**
 * The default retry policy setting for the api: `GET` / `PUT /settings/retry-policy` and its
 * `GET /settings/retry-policy/history`, the write
 * through the CommandBus, the read through the QueryBus, both straight on the setting's stream.
 * Needs the global EventStoreModule; the worker follows the setting with RetryPolicyFollowerModule.
 */
@Module({
  imports: [CqrsModule],
  controllers: [GetRetryPolicyHistoryHttp, GetRetryPolicyHttp, SetRetryPolicyHttp],
  providers: [
    RetryPolicyRepository,
    SetRetryPolicyHandler,
    GetRetryPolicyHandler,
    GetRetryPolicyHistoryHandler,
  ],
})
export class RetryPolicyModule implements OnModuleInit, OnModuleDestroy {
  private unregisterProblems?: () => void;

  onModuleInit(): void {
    this.unregisterProblems = registerRetryPolicyProblems();
  }

  onModuleDestroy(): void {
    this.unregisterProblems?.();
  }
}
