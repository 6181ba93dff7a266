import { randomBytes } from 'node:crypto';
import { SecretsKeyring } from '@app/config';
import { FixedClock, type StoredEvent } from '@app/event-store';
import { SecretBox } from '@app/platform';
import { InMemoryWebhookSecretStore } from '../testing';
import { webhookCreated } from '../domain/testing/webhook-fixtures';
import { evolve, initialState, type WebhookEvent } from '../domain/webhook.events';
import { legacySecretId } from '../domain/webhook.upcasters';
import { WebhookSecrets } from '../application/webhook-secrets';
import { SecretsReencryption, type ReencryptionSources } from './secrets-reencryption';

const keyA = { id: 'kA', key: randomBytes(32) };
const keyB = { id: 'kB', key: randomBytes(32) };
const legacyKey = { id: 'k0', key: randomBytes(32) };
const clock = new FixedClock(new Date('2026-05-01T00:00:00Z'));

/** The webhooks' streams in memory, read as the log in order and folded as the repository does. */
class Streams implements ReencryptionSources {
  readonly streams = new Map<string, WebhookEvent[]>();
  private readonly log: StoredEvent[] = [];
  reads = 0;

  add(event: WebhookEvent): void {
    const stream = this.streams.get(event.data.id) ?? [];
    this.streams.set(event.data.id, [...stream, event]);
    this.log.push({
      id: `e${this.log.length + 1}`,
      streamId: `webhook-${event.data.id}`,
      type: event.type,
      schemaVersion: 2,
      version: stream.length + 1,
      position: (this.log.length + 1) * 1000,
      recordedAt: clock.now(),
      data: event.data,
      metadata: { actor: 'user:test', correlationId: 'c', causationId: 'c' },
    });
  }

  readAll(after: number, maxEvents: number) {
    this.reads++;
    const events = this.log.filter((event) => event.position > after).slice(0, maxEvents);
    return Promise.resolve({ events, position: events.at(-1)?.position ?? after });
  }

  load(webhookId: string) {
    return Promise.resolve({
      state: (this.streams.get(webhookId) ?? []).reduce(evolve, initialState),
    });
  }
}

const ring = (...keys: (typeof keyA)[]) => new SecretBox(SecretsKeyring.of(...keys));

function setup() {
  const store = new InMemoryWebhookSecretStore();
  const streams = new Streams();
  const secretsUnder = (...keys: (typeof keyA)[]) =>
    new WebhookSecrets(ring(...keys), store, clock);
  const reencryptUnder = (...keys: (typeof keyA)[]) =>
    new SecretsReencryption(streams, store, ring(...keys), clock).run();
  /** A webhook created through the secrets as the create handler does: stored, then the event. */
  const create = async (id: string, ...keys: (typeof keyA)[]) => {
    const sealed = await secretsUnder(...keys).seal(id);
    streams.add(webhookCreated({ id, secret: { id: sealed.secretId } }));
    return sealed;
  };
  return { store, streams, secretsUnder, reencryptUnder, create };
}

describe('SecretsReencryption (npm run secrets:reencrypt)', () => {
  it('given webhooks created under key A, when re-encrypted with ring "B,A", then ring "B" alone decrypts them', async () => {
    const { streams, secretsUnder, reencryptUnder, create } = setup();
    const one = await create('wh-1', keyA);
    const two = await create('wh-2', keyA);

    const report = await reencryptUnder(keyB, keyA);

    expect(report).toMatchObject({
      webhooks: 2,
      reencrypted: 2,
      alreadyCurrent: 0,
      undecryptable: 0,
    });
    for (const [id, sealed] of [
      ['wh-1', one],
      ['wh-2', two],
    ] as const) {
      const { state } = await streams.load(id);
      const webhook = state as Extract<typeof state, { id: string }>;
      expect((await secretsUnder(keyB).reveal(webhook, clock.now())).secret).toBe(sealed.plaintext);
    }
  });

  it('given a finished run, when run again, then everything is current and nothing changes (idempotent, resumable)', async () => {
    const { store, reencryptUnder, create } = setup();
    await create('wh-1', keyA);
    await create('wh-2', keyB);
    await reencryptUnder(keyB, keyA);
    const before = JSON.stringify([...store.docs.values()]);

    const again = await reencryptUnder(keyB, keyA);

    expect(again).toMatchObject({ reencrypted: 0, copied: 0, alreadyCurrent: 2, undecryptable: 0 });
    expect(JSON.stringify([...store.docs.values()])).toBe(before);
  });

  it('given a secret an old event holds inline, when re-encrypted, then it is copied into the store under the newest key and the old key can go', async () => {
    const { store, streams, secretsUnder, reencryptUnder } = setup();
    const legacy = new SecretBox(legacyKey.key).encrypt('whsec_legacy', 'wh-1');
    delete legacy.kid;
    const ref = { id: legacySecretId(legacy), legacy };
    streams.add(webhookCreated({ id: 'wh-1', secret: ref }));

    const report = await reencryptUnder(keyB, legacyKey);

    expect(report).toMatchObject({ copied: 1, reencrypted: 0, undecryptable: 0 });
    expect(store.docs.get(`wh-1:${ref.id}`)?.kid).toBe('kB');
    expect(await secretsUnder(keyB).plaintextOf('wh-1', ref)).toBe('whsec_legacy');
    expect(await reencryptUnder(keyB)).toMatchObject({ copied: 0, alreadyCurrent: 1 });
  });

  it('given a rotation within its grace window, when re-encrypted, then the previous secret is moved too', async () => {
    const { streams, secretsUnder, reencryptUnder, create } = setup();
    const first = await create('wh-1', keyA);
    const second = await secretsUnder(keyA).seal('wh-1');
    streams.add({
      type: 'SecretRotated',
      data: {
        id: 'wh-1',
        secret: { id: second.secretId },
        secretHint: second.secretHint,
        previousSecret: { id: first.secretId },
        previousSecretHint: first.secretHint,
        previousSecretValidUntil: new Date(clock.now().getTime() + 3_600_000).toISOString(),
      },
    });

    expect(await reencryptUnder(keyB, keyA)).toMatchObject({ reencrypted: 2 });
    const { state } = await streams.load('wh-1');
    expect(await secretsUnder(keyB).reveal(state as never, clock.now())).toEqual({
      secret: second.plaintext,
      previous: { secret: first.plaintext, validUntil: expect.any(String) },
    });
  });

  it('given a deleted webhook whose secrets were left in the store, when re-encrypted, then they are shredded', async () => {
    const { store, streams, reencryptUnder, create } = setup();
    await create('wh-1', keyA);
    await create('wh-2', keyA);
    streams.add({ type: 'WebhookDeleted', data: { id: 'wh-1' } });

    const report = await reencryptUnder(keyB, keyA);

    expect(report).toMatchObject({ webhooks: 2, shredded: 1, reencrypted: 1 });
    expect([...store.docs.values()].map((doc) => doc.webhookId)).toEqual(['wh-2']);
  });

  it('given a secret under a key no longer in the ring, when re-encrypted, then it is counted and listed by webhook id with the missing key, never the secret', async () => {
    const { reencryptUnder, create } = setup();
    const lost = await create('wh-lost', keyA);
    await create('wh-ok', keyB);

    const report = await reencryptUnder(keyB);

    expect(report).toMatchObject({ undecryptable: 1, alreadyCurrent: 1 });
    expect(report.undecryptableSecrets).toEqual([
      { webhookId: 'wh-lost', reason: expect.stringContaining('"kA"') },
    ]);
    expect(JSON.stringify(report)).not.toContain(lost.plaintext);
  });

  it('given more webhooks than a log batch, when re-encrypted, then the log is read batch by batch', async () => {
    const { streams, reencryptUnder, create } = setup();
    for (let n = 0; n < 1200; n++) await create(`wh-${n}`, keyA);

    const report = await reencryptUnder(keyB, keyA);

    expect(report).toMatchObject({ webhooks: 1200, reencrypted: 1200 });
    expect(streams.reads).toBeGreaterThanOrEqual(3);
  });
});
