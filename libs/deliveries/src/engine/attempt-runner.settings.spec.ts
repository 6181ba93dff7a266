import { randomBytes } from 'node:crypto';
import { AppConfig, SecretsKeyring } from '@app/config';
import { FixedClock } from '@app/event-store';
import { SecretBox } from '@app/platform';
import type { RetryPolicyFollower } from '@app/retry-policy';
import { WebhookSecrets, type SubscriptionIndex, type WebhookTarget } from '@app/webhooks';
import { InMemoryWebhookSecretStore } from '@app/webhooks/testing';
import type { SendResult } from '../sending/http-sender';
import { AttemptRunner } from './attempt-runner';
import type { AttemptSender } from './attempt-sender';
import type { DeliveryJob } from './delivery-job';
import type { DeliveryMetrics } from './delivery-metrics';
import type { AttemptRecord, DeliveryRecorder } from './delivery-recorder';
import { SigningSecrets } from './signing-secrets';

const key = { id: 'k1', key: randomBytes(32) };
const clock = new FixedClock(new Date('2026-05-01T00:00:00Z'));
const DEFAULT_POLICY = { retryIntervalsSeconds: [600], jitter: 0 };

const job = {
  id: 'dlv-1',
  webhookId: 'wh-1',
  eventId: 'evt-1',
  eventType: 'license.created',
  environment: 'production',
  body: '{"id":"evt-1"}',
  attempt: 1,
  scheduledAttempts: 0,
  trigger: 'automatic',
  oneShot: false,
  requestedBy: null,
  latestRequestedBy: null,
  createdAt: clock.now(),
  origin: { kind: 'memory' },
  hasSummary: false,
} as DeliveryJob;

/** Runs one attempt to a webhook with these settings against a receiver answering 500. */
async function attemptWith(settings: Pick<WebhookTarget, 'retryPolicy' | 'headers'>) {
  const store = new InMemoryWebhookSecretStore();
  const secrets = new WebhookSecrets(new SecretBox(SecretsKeyring.of(key)), store, clock);
  const sealed = await secrets.seal('wh-1');
  const target: WebhookTarget = Object.freeze({
    id: 'wh-1',
    url: 'https://hooks.example.com/in',
    environment: 'production',
    eventTypes: Object.freeze(['license.created' as const]),
    secret: Object.freeze({ id: sealed.secretId }),
    previousSecret: null,
    rateLimitPerSecond: null,
    version: 2,
    ...settings,
  });
  const sent: Record<string, string>[] = [];
  const sender: AttemptSender = {
    send: ({ headers }) => {
      sent.push(headers);
      const failed: SendResult = {
        outcome: 'failed',
        responseStatus: 500,
        responseBody: 'down',
        durationMs: 1,
        error: null,
        retryAfterSeconds: null,
      };
      return Promise.resolve(failed);
    },
  };
  const records: AttemptRecord[] = [];
  const recorder = {
    record: (_job: DeliveryJob, record: AttemptRecord) => {
      records.push(record);
      return Promise.resolve();
    },
  } as unknown as DeliveryRecorder;
  const runner = new AttemptRunner(
    { lookup: () => ({ status: 'active', target }) } as unknown as SubscriptionIndex,
    new SigningSecrets(secrets),
    sender,
    { current: () => DEFAULT_POLICY } as unknown as RetryPolicyFollower,
    Object.assign(new AppConfig(), { deliveryMaxRetryAfterSeconds: 3600 }),
    {
      attempted: () => undefined,
      retriesScheduled: { inc: () => undefined },
      finished: { inc: () => undefined },
      exhausted: { inc: () => undefined },
    } as unknown as DeliveryMetrics,
    clock,
  );
  await runner.run(job, recorder);
  return { sent, records };
}

const nextAttemptIn = (record: AttemptRecord) => {
  const outcome = record.outcome as { status: string; nextAttemptAt: Date };
  return outcome.nextAttemptAt.getTime() - clock.now().getTime();
};

describe("AttemptRunner with a webhook's own settings", () => {
  it('given no policy of its own, when an attempt fails, then the default policy schedules the retry', async () => {
    const { records } = await attemptWith({ retryPolicy: null, headers: {} });

    expect(records[0].outcome).toMatchObject({ status: 'retrying' });
    expect(nextAttemptIn(records[0])).toBe(600_000);
  });

  it('given its own policy, when an attempt fails, then its interval schedules the retry', async () => {
    const { records } = await attemptWith({
      retryPolicy: { retryIntervalsSeconds: [7], jitter: 0 },
      headers: {},
    });

    expect(nextAttemptIn(records[0])).toBe(7_000);
  });

  it('given its own policy with no retries, when the attempt fails, then the delivery has failed', async () => {
    const { records } = await attemptWith({
      retryPolicy: { retryIntervalsSeconds: [], jitter: 0 },
      headers: {},
    });

    expect(records[0].outcome).toMatchObject({ status: 'failed' });
  });

  it('given custom headers, then they are sent after ours, never replace one, and are recorded redacted', async () => {
    const { sent, records } = await attemptWith({
      retryPolicy: null,
      // An old event could hold a name refused today: ours still win.
      headers: { authorization: 'Bearer t0ken', 'webhook-id': 'forged' },
    });

    expect(sent[0].authorization).toBe('Bearer t0ken');
    expect(sent[0]['webhook-id']).toBe('evt-1');
    expect(Object.keys(sent[0]).at(-1)).toBe('authorization');
    expect(records[0].requestHeaders.authorization).toBe('[redacted]');
    expect(records[0].requestHeaders['webhook-id']).toBe('evt-1');
    expect(JSON.stringify(records)).not.toContain('t0ken');
  });
});
