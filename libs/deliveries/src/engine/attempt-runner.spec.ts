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

const keyA = { id: 'kA', key: randomBytes(32) };
const keyB = { id: 'kB', key: randomBytes(32) };
const clock = new FixedClock(new Date('2026-05-01T00:00:00Z'));

const job: DeliveryJob = {
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
};

/** An AttemptRunner whose index knows one active webhook, signing through `ring`. */
async function runnerFor(
  store: InMemoryWebhookSecretStore,
  secretId: string,
  ...ring: (typeof keyA)[]
) {
  const target: WebhookTarget = Object.freeze({
    id: 'wh-1',
    url: 'https://hooks.example.com/in',
    environment: 'production',
    eventTypes: Object.freeze(['license.created' as const]),
    secret: Object.freeze({ id: secretId }),
    previousSecret: null,
    retryPolicy: null,
    rateLimitPerSecond: null,
    headers: Object.freeze({}),
    version: 1,
  });
  const sent: Array<Record<string, string>> = [];
  const sender: AttemptSender = {
    send: ({ headers }) => {
      sent.push(headers);
      const ok: SendResult = {
        outcome: 'succeeded',
        responseStatus: 204,
        responseBody: null,
        durationMs: 1,
        error: null,
        retryAfterSeconds: null,
      };
      return Promise.resolve(ok);
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
    new SigningSecrets(new WebhookSecrets(new SecretBox(SecretsKeyring.of(...ring)), store, clock)),
    sender,
    {
      current: () => ({ retryIntervalsSeconds: [60], jitter: 0 }),
    } as unknown as RetryPolicyFollower,
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

describe('AttemptRunner signs through the keyring', () => {
  it('given a secret stored under an older key of the ring, when attempted, then the request is signed and sent', async () => {
    const store = new InMemoryWebhookSecretStore();
    const sealed = await new WebhookSecrets(
      new SecretBox(SecretsKeyring.of(keyA)),
      store,
      clock,
    ).seal('wh-1');

    const { sent, records } = await runnerFor(store, sealed.secretId, keyB, keyA);

    expect(sent).toHaveLength(1);
    expect(sent[0]['webhook-signature']).toMatch(/^v1,/);
    expect(records[0].outcome).toEqual({ status: 'succeeded' });
  });

  it('given a secret whose key is not in the ring, when attempted, then nothing is sent and the attempt fails naming the key id, retried on schedule', async () => {
    const store = new InMemoryWebhookSecretStore();
    const sealed = await new WebhookSecrets(
      new SecretBox(SecretsKeyring.of(keyA)),
      store,
      clock,
    ).seal('wh-1');

    const { sent, records } = await runnerFor(store, sealed.secretId, keyB);

    expect(sent).toHaveLength(0);
    expect(records).toHaveLength(1);
    expect(records[0].error).toBe(
      'not sent: Cannot decrypt secret: its key "kA" is not in SECRETS_ENCRYPTION_KEY',
    );
    expect(records[0].outcome).toMatchObject({ status: 'retrying' });
    expect(JSON.stringify(records)).not.toContain(sealed.plaintext);
  });

  it('given a shredded secret, when attempted, then nothing is sent and the attempt says so', async () => {
    const store = new InMemoryWebhookSecretStore();

    const { sent, records } = await runnerFor(store, 's-gone', keyA);

    expect(sent).toHaveLength(0);
    expect(records[0].error).toContain('no longer in the secret store');
  });
});
