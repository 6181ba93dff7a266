import { randomBytes, randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { DELIVERY_QUEUE_COLLECTION } from '@app/deliveries';
import {
  IDEMPOTENCY_COLLECTION,
  IDEMPOTENCY_LEASE_MS,
  idempotencyScope,
  requestFingerprint,
  signAccessToken,
  type IdempotencyRecordDocument,
} from '@app/platform';
import { startTestApp, type TestApp } from '../../../test/support/test-app';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

const JWT_SECRET = 'e2e-test-signing-key-that-is-long-enough-0123456789';
const PROBLEM = 'https://lmp.example/problems/';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

// Two api processes (in-process apps) on one database, as behind a load balancer: they share the
// database, the token key and the encryption key, nothing else.
describe('Idempotency-Key on POST (two running apis, one real database)', () => {
  let first: TestApp;
  let second: TestApp;
  let connection: Connection;
  let records: Collection<IdempotencyRecordDocument>;

  const newKey = () => `key-${randomUUID()}`;

  async function call(
    method: string,
    path: string,
    options: {
      key?: string;
      sub?: string;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
      via?: TestApp;
    } = {},
  ): Promise<Answer> {
    const token = signAccessToken(JWT_SECRET, { id: options.sub ?? 'alice', role: 'admin' }, 600);
    const body =
      options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
    const response = await fetch(`${(options.via ?? first).url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.key !== undefined ? { 'idempotency-key': options.key } : {}),
        ...options.headers,
      },
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  const webhook = (name: string) => ({
    name,
    url: 'https://crm.example.com/hooks/lmp',
    environment: 'production',
    eventTypes: ['license.created'],
  });

  async function webhooksNamed(name: string): Promise<string[]> {
    const list = await call('GET', `/webhooks?search=${encodeURIComponent(name)}&limit=100`);
    return (list.body.items as Array<{ id: string; name: string }>)
      .filter((item) => item.name === name)
      .map((item) => item.id);
  }

  const expectSameResponse = (replay: Answer, original: Answer) => {
    expect(replay.status).toBe(original.status);
    expect(replay.text).toBe(original.text);
    for (const header of ['content-type', 'location', 'etag', 'cache-control']) {
      expect(replay.headers.get(header)).toBe(original.headers.get(header));
    }
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(original.headers.get('idempotent-replayed')).toBeNull();
  };

  beforeAll(async () => {
    const env = {
      AUTH_JWT_SECRET: JWT_SECRET,
      SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    first = await startTestApp(ApiModule, {
      label: 'api_idempotency',
      configure: configureApi,
      env,
    });
    second = await startTestApp(ApiModule, {
      label: 'api_idempotency_2',
      configure: configureApi,
      env,
      mongodbUri: () => first.database.uri,
    });
    connection = await mongoose.createConnection(first.database.uri).asPromise();
    records = connection.collection<IdempotencyRecordDocument>(IDEMPOTENCY_COLLECTION);
  });

  afterAll(async () => {
    await connection?.close();
    await second?.close();
    await first?.close();
  });

  describe('create', () => {
    it('given a create repeated with its key, when the retry comes, then one webhook exists and the retry gets the same 201, secret and Location', async () => {
      const key = newKey();
      const body = webhook('Idem: retried create');

      const created = await call('POST', '/webhooks', { key, body });
      const retried = await call('POST', '/webhooks', { key, body });

      expect(created.status).toBe(201);
      expect(created.body.secret).toMatch(/^whsec_/);
      expect(created.headers.get('location')).toBe(`/api/v1/webhooks/${created.body.id}`);
      expectSameResponse(retried, created);
      expect(retried.body.secret).toBe(created.body.secret);
      expect(await webhooksNamed(body.name)).toEqual([created.body.id]);
    });

    it('given the same body with its keys reordered and other whitespace, when retried, then it is the same request', async () => {
      const key = newKey();
      const created = await call('POST', '/webhooks', { key, body: webhook('Idem: reordered') });

      const rawBody = `{ "eventTypes": ["license.created"], "environment": "production",\n  "url": "https://crm.example.com/hooks/lmp", "name": "Idem: reordered" }`;
      const retried = await call('POST', '/webhooks', { key, rawBody });

      expectSameResponse(retried, created);
    });

    it('given a key used with another body, when posted, then 422 problem JSON and nothing is created', async () => {
      const key = newKey();
      await call('POST', '/webhooks', { key, body: webhook('Idem: first body') });

      const reused = await call('POST', '/webhooks', { key, body: webhook('Idem: second body') });

      expect(reused.status).toBe(422);
      expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reused.body).toMatchObject({ type: `${PROBLEM}idempotency-key-reused`, status: 422 });
      expect(await webhooksNamed('Idem: second body')).toEqual([]);
    });

    it('given another principal with the same key, when posted, then it is an independent request', async () => {
      const key = newKey();
      const body = webhook('Idem: two principals');

      const alices = await call('POST', '/webhooks', { key, body, sub: 'alice' });
      const bobs = await call('POST', '/webhooks', { key, body, sub: 'bob' });

      expect(bobs.status).toBe(201);
      expect(bobs.headers.get('idempotent-replayed')).toBeNull();
      expect(bobs.body.id).not.toBe(alices.body.id);
      expect(bobs.body.secret).not.toBe(alices.body.secret);
      expect((await webhooksNamed(body.name)).sort()).toEqual(
        [alices.body.id, bobs.body.id].sort(),
      );
    });

    it('given no key, when a create is repeated, then it creates twice as before', async () => {
      const body = webhook('Idem: no key');

      const one = await call('POST', '/webhooks', { body });
      const two = await call('POST', '/webhooks', { body });

      expect([one.status, two.status]).toEqual([201, 201]);
      expect(two.headers.get('idempotent-replayed')).toBeNull();
      expect(await webhooksNamed(body.name)).toHaveLength(2);
    });

    it.each([
      ['empty', ''],
      ['256 characters', 'k'.repeat(256)],
      ['a space', 'my key'],
      ['non-ASCII', 'schlüssel'],
    ])(
      'given a key that is %s, when posted, then 400 problem JSON naming the header, and nothing runs',
      async (_what, key) => {
        const name = `Idem: bad key ${randomUUID()}`;
        const response = await fetch(`${first.url}/api/v1/webhooks`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${signAccessToken(JWT_SECRET, { id: 'alice', role: 'admin' }, 600)}`,
            'content-type': 'application/json',
            // fetch refuses non-Latin-1 header values; send the UTF-8 bytes as Node would receive them.
            'idempotency-key': Buffer.from(key, 'utf8').toString('latin1'),
          },
          body: JSON.stringify(webhook(name)),
        });

        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        const problem = (await response.json()) as { type: string; detail: string };
        expect(problem.type).toBe(`${PROBLEM}invalid-idempotency-key`);
        expect(problem.detail).toContain('Idempotency-Key');
        expect(await webhooksNamed(name)).toEqual([]);
      },
    );

    it('given five identical creates at once on two processes, when they race, then exactly one webhook is made; the others get its replay or 409', async () => {
      const key = newKey();
      const body = webhook('Idem: concurrent');

      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, index) =>
          call('POST', '/webhooks', { key, body, via: index % 2 ? second : first }),
        ),
      );

      const ids = await webhooksNamed(body.name);
      expect(ids).toHaveLength(1);
      const originals = answers.filter(
        (answer) => answer.status === 201 && !answer.headers.get('idempotent-replayed'),
      );
      expect(originals).toHaveLength(1);
      for (const answer of answers) {
        if (answer.status === 201) {
          expect(answer.body.id).toBe(ids[0]);
          expect(answer.text).toBe(originals[0].text);
        } else {
          expect(answer.status).toBe(409);
          expect(answer.headers.get('retry-after')).toBe('1');
          expect(answer.body.type).toBe(`${PROBLEM}idempotency-key-in-use`);
        }
      }
      // Once the first has finished, a retry of a 409 gets the replay.
      const later = await call('POST', '/webhooks', { key, body, via: second });
      expectSameResponse(later, originals[0]);
    });

    it('given a create made through one process, when retried through the other, then the other replays it', async () => {
      const key = newKey();
      const body = webhook('Idem: across processes');

      const created = await call('POST', '/webhooks', { key, body, via: first });
      const retried = await call('POST', '/webhooks', { key, body, via: second });

      expectSameResponse(retried, created);
      expect(await webhooksNamed(body.name)).toEqual([created.body.id]);
    });

    it('given a stored create, when its record is read raw, then it holds no plaintext secret or body', async () => {
      const key = newKey();
      const created = await call('POST', '/webhooks', { key, body: webhook('Idem: at rest') });
      const scope = idempotencyScope({
        principalId: 'alice',
        method: 'POST',
        path: '/api/v1/webhooks',
        key,
      });

      const stored = await records.find({ scope }).toArray();

      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ state: 'completed', status: 201, epoch: 0 });
      const raw = JSON.stringify(stored);
      const secretKey = created.body.secret.slice('whsec_'.length);
      for (const leak of [
        created.body.secret,
        secretKey,
        Buffer.from(created.text).toString('base64'),
        created.body.id,
      ]) {
        expect(raw).not.toContain(leak);
      }
      expect(raw).not.toContain('whsec_');
      expect(raw).not.toContain(key);
    });
  });

  describe('in progress', () => {
    async function seedInProgress(
      key: string,
      body: unknown,
      leaseUntil: Date,
      options: { replace?: boolean } = {},
    ): Promise<string> {
      const scope = idempotencyScope({
        principalId: 'alice',
        method: 'POST',
        path: '/api/v1/webhooks',
        key,
      });
      const now = new Date();
      if (options.replace) await records.deleteOne({ _id: `${scope}.0` });
      await records.insertOne({
        _id: `${scope}.0`,
        scope,
        epoch: 0,
        state: 'in-progress',
        fingerprint: requestFingerprint(body),
        createdAt: now,
        leaseUntil,
        expiresAt: new Date(now.getTime() + 3_600_000),
      });
      return scope;
    }

    it('given a first request still running elsewhere, when repeated, then 409 with Retry-After: 1, and nothing runs', async () => {
      const key = newKey();
      const body = webhook('Idem: still running');
      await seedInProgress(key, body, new Date(Date.now() + IDEMPOTENCY_LEASE_MS));

      const answer = await call('POST', '/webhooks', { key, body });

      expect(answer.status).toBe(409);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await webhooksNamed(body.name)).toEqual([]);
    });

    it('given a first request whose process died (its lease lapsed), when retried, then the retry runs as the next run', async () => {
      const key = newKey();
      const body = webhook('Idem: owner died');
      const scope = await seedInProgress(key, body, new Date(Date.now() - 1));

      const answer = await call('POST', '/webhooks', { key, body, via: second });

      expect(answer.status).toBe(201);
      expect(await webhooksNamed(body.name)).toEqual([answer.body.id]);
      expect(await records.findOne({ _id: `${scope}.1` })).toMatchObject({
        state: 'completed',
        status: 201,
      });
      expectSameResponse(await call('POST', '/webhooks', { key, body }), answer);
    });

    it('given a create that committed but whose process died before it answered, when retried, then it answers with the webhook it made and makes no second one', async () => {
      const key = newKey();
      const body = webhook('Idem: committed, then died');
      const first = await call('POST', '/webhooks', { key, body });
      expect(first.status).toBe(201);
      // As if the process had died right after the commit: no outcome stored, a lapsed lease.
      const scope = await seedInProgress(key, body, new Date(Date.now() - 1), { replace: true });

      const retried = await call('POST', '/webhooks', { key, body, via: second });

      expect(retried.status).toBe(201);
      expect(retried.body.id).toBe(first.body.id);
      expect(retried.body.secret).toBe(first.body.secret);
      expect(await webhooksNamed(body.name)).toEqual([first.body.id]);
      expect(await records.findOne({ _id: `${scope}.1` })).toMatchObject({ state: 'completed' });
    });
  });

  describe('other POST routes', () => {
    async function createWebhook(name: string): Promise<string> {
      const created = await call('POST', '/webhooks', { body: webhook(name) });
      expect(created.status).toBe(201);
      return created.body.id;
    }

    it('given a 4xx outcome, when repeated after the webhook changed, then the stored 412 (and its ETag) is replayed, not re-run', async () => {
      const id = await createWebhook('Idem: 412 replay');
      const key = newKey();

      const stale = await call('POST', `/webhooks/${id}/deactivate`, {
        key,
        headers: { 'if-match': '"7"' },
      });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('etag')).toBe('"1"');
      expect((await call('POST', `/webhooks/${id}/deactivate`)).status).toBe(200); // now at version 2

      const replayed = await call('POST', `/webhooks/${id}/deactivate`, {
        key,
        headers: { 'if-match': '"7"' },
      });

      expectSameResponse(replayed, stale);
      expect(replayed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('given an activate repeated with its key, when the webhook was deactivated meanwhile, then the replay changes nothing', async () => {
      const id = await createWebhook('Idem: activate');
      await call('POST', `/webhooks/${id}/deactivate`);
      const key = newKey();

      const activated = await call('POST', `/webhooks/${id}/activate`, { key });
      await call('POST', `/webhooks/${id}/deactivate`);
      const replayed = await call('POST', `/webhooks/${id}/activate`, { key });

      expect(activated.status).toBe(200);
      expect(activated.body.status).toBe('active');
      expectSameResponse(replayed, activated);
      expect((await call('GET', `/webhooks/${id}`)).body.status).toBe('inactive');
    });

    it('given a rotate repeated with its key, when retried, then the secret is rotated once and the retry gets the same new secret', async () => {
      const id = await createWebhook('Idem: rotate');
      const key = newKey();

      const rotated = await call('POST', `/webhooks/${id}/secret/rotate`, { key, body: {} });
      const retried = await call('POST', `/webhooks/${id}/secret/rotate`, { key, body: {} });

      expect(rotated.status).toBe(200);
      expectSameResponse(retried, rotated);
      expect(retried.body.secret).toBe(rotated.body.secret);
      const current = await call('GET', `/webhooks/${id}`);
      expect(current.body.version).toBe(rotated.body.version);
      expect((await call('GET', `/webhooks/${id}/secret`)).body.secret).toBe(rotated.body.secret);
    });

    it('given a test send repeated with its key, when retried, then one test delivery is queued and the retry gets its Location', async () => {
      const id = await createWebhook('Idem: test send');
      const key = newKey();
      const queue = connection.collection(DELIVERY_QUEUE_COLLECTION);

      const sent = await call('POST', `/webhooks/${id}/test`, { key });
      const retried = await call('POST', `/webhooks/${id}/test`, { key, via: second });

      expect(sent.status).toBe(202);
      expect(sent.headers.get('location')).toBe(`/api/v1/deliveries/${sent.body.id}`);
      expectSameResponse(retried, sent);
      expect(await queue.countDocuments({ webhookId: id })).toBe(1);
    });

    it('given the same key on two paths, when posted, then each path has its own outcome', async () => {
      const id = await createWebhook('Idem: two paths');
      const key = newKey();

      const deactivated = await call('POST', `/webhooks/${id}/deactivate`, { key });
      const activated = await call('POST', `/webhooks/${id}/activate`, { key });

      expect(deactivated.body.status).toBe('inactive');
      expect(activated.status).toBe(200);
      expect(activated.headers.get('idempotent-replayed')).toBeNull();
      expect(activated.body.status).toBe('active');
    });
  });

  it('documents the header once and refers to it from every POST operation, not from others', async () => {
    const response = await fetch(`${first.url}/api/docs/openapi.json`);
    const document = (await response.json()) as {
      paths: Record<
        string,
        Record<
          string,
          { parameters?: Array<{ $ref?: string }>; responses: Record<string, unknown> }
        >
      >;
      components: {
        parameters: Record<string, { name: string; in: string; schema: { maxLength: number } }>;
      };
    };

    expect(document.components.parameters.IdempotencyKey).toMatchObject({
      name: 'Idempotency-Key',
      in: 'header',
      schema: { maxLength: 255 },
    });
    const refersToIt = (operation?: { parameters?: Array<{ $ref?: string }> }) =>
      (operation?.parameters ?? []).some(
        (parameter) => parameter.$ref === '#/components/parameters/IdempotencyKey',
      );
    const posts = Object.entries(document.paths).filter(([, item]) => item.post);
    expect(posts.map(([path]) => path)).toEqual(
      expect.arrayContaining([
        '/api/v1/webhooks',
        '/api/v1/webhooks/{id}/activate',
        '/api/v1/webhooks/{id}/secret/rotate',
      ]),
    );
    for (const [, item] of posts) {
      expect(refersToIt(item.post)).toBe(true);
      expect(item.post.responses).toHaveProperty('422');
    }
    expect(refersToIt(document.paths['/api/v1/webhooks'].get)).toBe(false);
  });
});
