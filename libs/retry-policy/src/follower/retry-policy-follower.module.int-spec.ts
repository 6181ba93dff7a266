import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { EventStore, EventStoreModule, ProjectionHost } from '@app/event-store';
import { DatabaseModule } from '@app/platform';
import { startTestApp, type TestApp } from '../../../../test/support/test-app';
import { DEFAULT_RETRY_POLICY } from '../domain/retry-policy';
import { toNewRetryPolicyEvent } from '../domain/retry-policy.events';
import { RETRY_POLICY_STREAM_ID } from '../application/retry-policy-stream';
import { RetryPolicyFollower } from './retry-policy-follower';
import { RetryPolicyFollowerModule } from './retry-policy-follower.module';

/** The part of the worker the follower needs: configuration, the database and the event store. */
@Module({
  imports: [ConfigModule, DatabaseModule, EventStoreModule.forRoot(), RetryPolicyFollowerModule],
})
class FollowerTestModule {}

describe('RetryPolicyFollowerModule', () => {
  let app: TestApp | undefined;

  beforeAll(async () => {
    app = await startTestApp(FollowerTestModule, {
      label: 'retry_policy_follower',
      env: { PROJECTION_POLL_INTERVAL_MS: '20' },
    });
  });

  afterAll(() => app?.close());

  it('runs the follower in memory: the default once ready, then each policy set, live', async () => {
    const follower = app!.app.get(RetryPolicyFollower);
    const runner = app!.app.get(ProjectionHost).runner('retry-policy');
    await follower.whenReady();
    expect(runner.checkpointMode).toBe('memory');
    expect(follower.current()).toEqual(DEFAULT_RETRY_POLICY);

    const appended = await app!.app
      .get(EventStore)
      .append(RETRY_POLICY_STREAM_ID, 0, [
        toNewRetryPolicyEvent(
          { type: 'RetryPolicySet', data: { retryIntervalsSeconds: [1, 2, 3], jitter: 0 } },
          { actor: 'user:owner', correlationId: 'corr', causationId: 'cause' },
        ),
      ]);
    await runner.waitFor(appended.lastPosition);

    expect(follower.current()).toEqual({ retryIntervalsSeconds: [1, 2, 3], jitter: 0 });
    expect(follower.version).toBe(1);
  });
});
