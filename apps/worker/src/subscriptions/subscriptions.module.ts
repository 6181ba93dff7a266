import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { ProjectionHost } from '@app/event-store';
import { SubscriptionIndex } from '@app/webhooks';

/**
 * Keeps the worker's index of active webhook subscriptions for the worker's lifetime: the index is
 * registered with the ProjectionHost (EventStoreModule) with an in-memory checkpoint, so each worker
 * rebuilds it from the log at boot and then follows webhook changes live. It becomes `ready` once
 * it has caught up the first time; delivery waits for that (`index.whenReady()`) before matching.
 */
@Module({
  providers: [{ provide: SubscriptionIndex, useFactory: () => new SubscriptionIndex() }],
  exports: [SubscriptionIndex],
})
export class SubscriptionsModule implements OnModuleInit {
  private readonly logger = new Logger(SubscriptionIndex.name);

  constructor(
    private readonly projections: ProjectionHost,
    private readonly index: SubscriptionIndex,
  ) {}

  onModuleInit(): void {
    const runner = this.index.registerWith(this.projections);
    void this.index
      .whenReady()
      .then(() =>
        this.logger.log(
          `ready: ${this.index.size} active webhooks indexed, up to position ${runner.currentPosition}`,
        ),
      );
  }
}
