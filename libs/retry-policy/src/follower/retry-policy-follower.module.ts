import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { ProjectionHost } from '@app/event-store';
import { RetryPolicyFollower } from './retry-policy-follower';

/**
 * Keeps the worker's copy of the retry policy for the worker's lifetime: the follower is registered
 * with the ProjectionHost (the global EventStoreModule) on an in-memory checkpoint, so each worker
 * rebuilds it from the log at boot and follows changes live. It is `ready` once it has caught up the
 * first time; the scheduler may wait for that (`follower.whenReady()`) so that it never schedules
 * with the default while a set policy is still being read.
 */
@Module({
  providers: [{ provide: RetryPolicyFollower, useFactory: () => new RetryPolicyFollower() }],
  exports: [RetryPolicyFollower],
})
export class RetryPolicyFollowerModule implements OnModuleInit {
  private readonly logger = new Logger(RetryPolicyFollower.name);

  constructor(
    private readonly projections: ProjectionHost,
    private readonly follower: RetryPolicyFollower,
  ) {}

  onModuleInit(): void {
    this.follower.registerWith(this.projections);
    void this.follower.whenReady().then(() => {
      const policy = this.follower.current();
      this.logger.log(
        `ready: retry policy version ${this.follower.version} (${policy.retryIntervalsSeconds.length} retries, jitter ${policy.jitter})`,
      );
    });
  }
}
