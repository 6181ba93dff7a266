import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import {
  DELIVERY_QUEUE_COLLECTION,
  deliveryIdOf,
  type DeliveryQueueDocument,
  type DeliveryStatus,
} from '@app/deliveries';
import { signAccessToken, type Role } from '@app/platform';
import { seedDelivery, type DeliverySeed } from '../../../test/support/delivery-seeds';
import { startTestApp, type TestApp } from '../../../test/support/test-app';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

const JWT_SECRET = 'e2e-test-signing-key-that-is-long-enough-0123456789';

// No worker runs here: deliveries are seeded straight into the app's database, as the worker would
// record them, and the api's requested attempts are checked in the queue they write to.
describe('deliveries API (running api, real database)', () => {
  let api: TestApp;
  let connection: Connection;
  let queue: Collection<DeliveryQueueDocument>;

  const token = (role: Role) => signAccessToken(JWT_SECRET, { id: `${role}-user`, role }, 600);

  async function call(
    method: string,
    path: string,
    options: { role?: Role | null; body?: unknown } = {},
  ) {
    const role = options.role === undefined ? 'admin' : options.role;
    const response = await fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: {
        ...(role ? { authorization: `Bearer ${token(role)}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  const read = (path: string) => call('GET', path, { role: 'auditor' });

  async function createWebhook(name: string, environment = 'production'): Promise<string> {
    const { status, body } = await call('POST', '/webhooks', {
      body: {
        name,
        url: 'https://receiver.example.com/hooks',
        environment,
        eventTypes: ['license.created', 'license.assigned'],
      },
    });
    expect(status).toBe(201);
    return body.id;
  }

  // Seeded times are well in the past, so "now" (retry, test) is always newer than any of them,
  // and well within the retention period (30 days by default), which lists reach back over.
  const T0 = Math.floor(Date.now() / 86_400_000 - 7) * 86_400_000;
  const minutes = (n: number) => new Date(T0 + n * 60_000);

  const seed = (delivery: DeliverySeed & { status: DeliveryStatus }) =>
    seedDelivery(connection.db!, delivery);

  const ids = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id);

  beforeAll(async () => {
    api = await startTestApp(ApiModule, {
      label: 'api_deliveries',
      configure: configureApi,
      env: { AUTH_JWT_SECRET: JWT_SECRET },
    });
    connection = await mongoose.createConnection(api.database.uri).asPromise();
    queue = connection.db!.collection<DeliveryQueueDocument>(DELIVERY_QUEUE_COLLECTION);
  });

  afterAll(async () => {
    await connection?.close();
    await api?.close();
  });

  describe('reading', () => {
    let webhookId: string;
    let otherWebhookId: string;
    const seeded: Record<string, { _id: string }> = {};

    beforeAll(async () => {
      webhookId = await createWebhook('Deliveries: reads');
      otherWebhookId = await createWebhook('Deliveries: reads, staging', 'staging');
      const w = webhookId;
      seeded.old = await seed({
        webhookId: w,
        event: 'old',
        at: minutes(-1440),
        status: 'failed',
        responses: [500],
      });
      seeded.h1 = await seed({
        webhookId: w,
        event: 'h1',
        at: minutes(1),
        status: 'failed',
        responses: [500, null],
      });
      seeded.h2 = await seed({
        webhookId: w,
        event: 'h2',
        at: minutes(2),
        status: 'succeeded',
        eventType: 'license.assigned',
        responses: [200],
      });
      seeded.h3 = await seed({
        webhookId: w,
        event: 'h3',
        at: minutes(3),
        status: 'failed',
        responses: [503],
      });
      seeded.q1 = await seed({
        webhookId: w,
        event: 'q1',
        at: minutes(4),
        status: 'retrying',
        responses: [502],
      });
      seeded.q2 = await seed({
        webhookId: w,
        event: 'q2',
        at: minutes(5),
        status: 'pending',
        eventType: 'license.assigned',
      });
      // Failed, then a re-send asked for: pending again until the worker makes it.
      seeded.both = await seed({
        webhookId: w,
        event: 'both',
        at: minutes(6),
        status: 'failed',
        responses: [500],
      });
      expect((await call('POST', `/deliveries/${seeded.both._id}/retry`)).status).toBe(202);
      seeded.staging = await seed({
        webhookId: otherWebhookId,
        event: 's1',
        at: minutes(7),
        status: 'failed',
        environment: 'staging',
      });
    });

    it('lists newest first; a delivery with a re-send asked for shows as pending', async () => {
      const { status, body } = await read(`/deliveries?webhookId=${webhookId}`);
      expect(status).toBe(200);
      expect(ids(body)).toEqual(
        ['both', 'q2', 'q1', 'h3', 'h2', 'h1', 'old'].map((name) => seeded[name]._id),
      );
      expect(body.nextCursor).toBeNull();
      expect(body.items[0]).toMatchObject({ id: seeded.both._id, status: 'pending' });
      expect(body.items.find((item: { id: string }) => item.id === seeded.h1._id)).toEqual({
        id: seeded.h1._id,
        webhookId,
        eventId: `evt_h1_${webhookId.slice(0, 8)}`,
        eventType: 'license.created',
        environment: 'production',
        status: 'failed',
        attemptCount: 2,
        nextAttemptAt: null,
        createdAt: minutes(1).toISOString(),
        updatedAt: new Date(minutes(1).getTime() + 1000).toISOString(),
        lastAttempt: {
          at: new Date(minutes(1).getTime() + 1).toISOString(),
          responseStatus: null,
          error: 'HTTP timeout',
        },
        failureReason: 'every attempt of the retry policy failed',
        requestedBy: null,
      });
      const queued = body.items.find((item: { id: string }) => item.id === seeded.q2._id);
      expect(queued).toMatchObject({
        nextAttemptAt: '2099-01-01T00:00:00.000Z',
        lastAttempt: null,
      });
      expect(queued).not.toHaveProperty('payload');

      // Without a filter, both webhooks' deliveries share one order.
      const everyone = ids((await read('/deliveries?limit=100')).body);
      expect(everyone.filter((id) => id === seeded.staging._id || id === seeded.both._id)).toEqual([
        seeded.staging._id,
        seeded.both._id,
      ]);
    });

    it('filters by status, event type and creation time (from inclusive, to exclusive)', async () => {
      const w = `webhookId=${webhookId}`;
      // The summary's status: a re-send asked for shows on the item, but the filter is on what
      // was recorded (it failed), until the worker records the new attempt.
      expect(ids((await read(`/deliveries?${w}&status=failed`)).body)).toEqual(
        [seeded.both, seeded.h3, seeded.h1, seeded.old].map((doc) => doc._id),
      );
      expect(ids((await read(`/deliveries?${w}&status=pending`)).body)).toEqual([seeded.q2._id]);
      expect(ids((await read(`/deliveries?${w}&status=retrying`)).body)).toEqual([seeded.q1._id]);
      expect(ids((await read(`/deliveries?${w}&status=succeeded`)).body)).toEqual([seeded.h2._id]);
      expect(ids((await read(`/deliveries?${w}&eventType=license.assigned`)).body)).toEqual(
        [seeded.q2, seeded.h2].map((doc) => doc._id),
      );
      const range = `from=${minutes(2).toISOString()}&to=${minutes(5).toISOString()}`;
      expect(ids((await read(`/deliveries?${w}&${range}`)).body)).toEqual(
        [seeded.q1, seeded.h3, seeded.h2].map((doc) => doc._id),
      );
      expect(ids((await read(`/deliveries?webhookId=${otherWebhookId}`)).body)).toEqual([
        seeded.staging._id,
      ]);
    });

    it('rejects bad filters, limits and cursors', async () => {
      for (const query of [
        'status=lost',
        'eventType=nope',
        'webhookId=not-a-uuid',
        'from=yesterday',
        'limit=0',
        'limit=101',
        'colour=red',
      ]) {
        const { status, body } = await read(`/deliveries?${query}`);
        expect([query, status, body.type]).toEqual([
          query,
          400,
          'https://lmp.example/problems/validation-error',
        ]);
      }
      const cursor = await read('/deliveries?cursor=garbage');
      expect(cursor.status).toBe(400);
      expect(cursor.body.type).toBe('https://lmp.example/problems/invalid-cursor');
    });

    it('shows a delivery with its payload and every attempt', async () => {
      const { status, body } = await read(`/deliveries/${seeded.h1._id}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        id: seeded.h1._id,
        status: 'failed',
        attemptCount: 2,
        payload: {
          id: `evt_h1_${webhookId.slice(0, 8)}`,
          type: 'license.created',
          environment: 'production',
          data: { licenseId: 'h1' },
        },
      });
      expect(body.attempts).toEqual([
        {
          number: 1,
          at: minutes(1).toISOString(),
          trigger: 'automatic',
          requestedBy: null,
          url: 'https://receiver.example.com/hooks',
          // Seeded with a signature, as attempts were once stored: redacted on read.
          requestHeaders: { 'webhook-id': 'evt', 'webhook-signature': '[redacted]' },
          responseStatus: 500,
          durationMs: 42,
          error: 'HTTP 500',
          responseBody: 'status 500',
        },
        expect.objectContaining({ number: 2, responseStatus: null, responseBody: null }),
      ]);
      expect((await read(`/deliveries/${seeded.both._id}`)).body.status).toBe('pending');
    });

    it('answers 404 for an unknown delivery and 400 for a malformed id', async () => {
      const unknown = await read(`/deliveries/${deliveryIdOf('evt_none', webhookId)}`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(unknown.body.type).toBe('https://lmp.example/problems/delivery-not-found');
      expect((await read('/deliveries/42')).status).toBe(400);
      expect((await call('POST', `/deliveries/${deliveryIdOf('x', 'y')}/retry`)).status).toBe(404);
    });
  });

  it('pages with no duplicate and no gap', async () => {
    const webhookId = await createWebhook('Deliveries: paging');
    const expected: Array<{ id: string; at: number; status: string }> = [];
    const statuses: DeliveryStatus[] = ['retrying', 'failed', 'succeeded', 'pending'];
    for (let i = 0; i < 31; i++) {
      // Four deliveries per second: ties on createdAt are ordered by id.
      const at = minutes(100 + Math.floor(i / 4));
      const status = statuses[i % statuses.length];
      const doc = await seed({
        webhookId,
        event: `p${i}`,
        at,
        status,
        responses: status === 'pending' ? [] : [500],
      });
      expected.push({ id: doc._id, at: at.getTime(), status });
    }
    expected.sort((a, b) => b.at - a.at || (a.id > b.id ? -1 : 1));

    for (const limit of [1, 4, 7]) {
      const seen: Array<{ id: string; status: string }> = [];
      let cursor: string | null = null;
      do {
        const query: string = `webhookId=${webhookId}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
        const { status, body } = await read(`/deliveries?${query}`);
        expect(status).toBe(200);
        expect(body.items.length).toBeLessThanOrEqual(limit);
        seen.push(
          ...body.items.map((item: { id: string; status: string }) => ({
            id: item.id,
            status: item.status,
          })),
        );
        cursor = body.nextCursor;
      } while (cursor && seen.length <= expected.length);
      expect(seen).toEqual(expected.map(({ id, status }) => ({ id, status })));
    }
  });

  describe('retry', () => {
    let webhookId: string;
    beforeAll(async () => {
      webhookId = await createWebhook('Deliveries: retry');
    });

    it('re-sends a finished delivery through a manual pending queue entry', async () => {
      const finished = await seed({
        webhookId,
        event: 'r1',
        at: minutes(200),
        status: 'failed',
        responses: [500, 500],
      });
      const before = Date.now();
      const { status, body } = await call('POST', `/deliveries/${finished._id}/retry`);
      expect(status).toBe(202);
      expect(body).toMatchObject({ id: finished._id, status: 'pending', attemptCount: 2 });
      expect(Date.parse(body.nextAttemptAt)).toBeGreaterThanOrEqual(before - 5);
      expect(body.attempts).toHaveLength(2);

      // The next attempt (3), one shot, asked for by this admin, due now.
      const entries = await queue.find({ deliveryId: finished._id }).toArray();
      expect(entries).toEqual([
        expect.objectContaining({
          _id: `${finished._id}:3`,
          attempt: 3,
          trigger: 'manual',
          oneShot: true,
          requestedBy: 'user:admin-user',
          scheduledAttempts: 2,
          deliveryCreatedAt: finished.summary.createdAt,
        }),
      ]);
      expect(entries[0].dueAt.getTime()).toBeLessThanOrEqual(Date.now());
      expect((await read(`/deliveries/${finished._id}`)).body.status).toBe('pending');

      // Again before the worker made it: the same attempt is asked for, not a second one.
      expect((await call('POST', `/deliveries/${finished._id}/retry`)).status).toBe(202);
      expect(await queue.countDocuments({ deliveryId: finished._id })).toBe(1);
    });

    it('brings a queued delivery forward and keeps its automatic schedule', async () => {
      const queued = await seed({
        webhookId,
        event: 'r2',
        at: minutes(201),
        status: 'retrying',
        responses: [502],
      });
      const { status, body } = await call('POST', `/deliveries/${queued._id}/retry`);
      expect(status).toBe(202);
      expect(body).toMatchObject({ id: queued._id, status: 'retrying' });
      expect(Date.parse(body.nextAttemptAt)).toBeLessThanOrEqual(Date.now());
      // The scheduled attempt 2 stays; a second entry makes the same attempt now, and the
      // schedule goes on after it (not one shot).
      const entries = await queue.find({ deliveryId: queued._id }).sort({ _id: 1 }).toArray();
      expect(
        entries.map((entry) => [entry._id, entry.attempt, entry.trigger, entry.oneShot]),
      ).toEqual([
        [`${queued._id}:2`, 2, 'automatic', false],
        [`${queued._id}:2:now`, 2, 'manual', false],
      ]);
    });
  });

  describe('recover', () => {
    it('re-sends only the failed deliveries of that webhook created since the time', async () => {
      const webhookId = await createWebhook('Deliveries: recover');
      const otherId = await createWebhook('Deliveries: recover, other');
      const since = minutes(300);
      const tooOld = await seed({
        webhookId,
        event: 'old',
        at: minutes(299),
        status: 'failed',
      });
      const failed1 = await seed({
        webhookId,
        event: 'f1',
        at: minutes(300),
        status: 'failed',
        responses: [500],
      });
      const failed2 = await seed({
        webhookId,
        event: 'f2',
        at: minutes(310),
        status: 'failed',
        responses: [404],
      });
      const succeeded = await seed({
        webhookId,
        event: 'ok',
        at: minutes(305),
        status: 'succeeded',
      });
      const other = await seed({
        webhookId: otherId,
        event: 'f3',
        at: minutes(306),
        status: 'failed',
      });
      // Its re-send was asked for already (a retry): it is not counted again.
      const busy = await seed({
        webhookId,
        event: 'busy',
        at: minutes(307),
        status: 'failed',
        responses: [500],
      });
      expect((await call('POST', `/deliveries/${busy._id}/retry`)).status).toBe(202);

      const { status, body } = await call('POST', `/webhooks/${webhookId}/recover`, {
        body: { since: since.toISOString() },
      });
      expect(status).toBe(202);
      expect(body).toEqual({ recovered: 2, capped: false, maxPerCall: 10000 });
      const queued = await queue.find({ webhookId }).toArray();
      expect(queued.map((entry) => entry.deliveryId).sort()).toEqual(
        [failed1._id, failed2._id, busy._id].sort(),
      );
      for (const id of [failed1._id, failed2._id]) {
        expect(queued.find((entry) => entry.deliveryId === id)).toMatchObject({
          attempt: 2,
          trigger: 'manual',
          oneShot: true,
          requestedBy: 'user:admin-user',
        });
      }
      for (const id of [tooOld._id, succeeded._id, other._id]) {
        expect(await queue.countDocuments({ deliveryId: id })).toBe(0);
      }

      // Calling again finds nothing left to recover: what it queued is in the queue now.
      const again = await call('POST', `/webhooks/${webhookId}/recover`, {
        body: { since: since.toISOString() },
      });
      expect(again.body.recovered).toBe(0);
    });

    it('answers 404 for unknown or deleted webhooks and 400 for a missing or bad time', async () => {
      const since = { since: '2026-01-01T00:00:00Z' };
      const unknown = await call('POST', `/webhooks/${randomUUID()}/recover`, { body: since });
      expect(unknown.status).toBe(404);
      expect(unknown.body.type).toBe('https://lmp.example/problems/webhook-not-found');
      const deleted = await createWebhook('Deliveries: recover, deleted');
      expect((await call('DELETE', `/webhooks/${deleted}`)).status).toBe(204);
      expect((await call('POST', `/webhooks/${deleted}/recover`, { body: since })).status).toBe(
        404,
      );

      const live = await createWebhook('Deliveries: recover, bad input');
      for (const body of [{}, { since: 'last tuesday' }, { since: 12 }, undefined]) {
        const bad = await call('POST', `/webhooks/${live}/recover`, { body });
        expect(bad.status).toBe(400);
        expect(bad.body.errors.map((error: { field: string }) => error.field)).toContain('since');
      }
    });
  });

  describe('test event', () => {
    it('queues a pending webhook.test delivery for the webhook’s environment', async () => {
      const webhookId = await createWebhook('Deliveries: test', 'staging');
      const before = Date.now();
      const { status, body, headers } = await call('POST', `/webhooks/${webhookId}/test`);
      expect(status).toBe(202);
      expect(body).toMatchObject({
        webhookId,
        eventType: 'webhook.test',
        environment: 'staging',
        status: 'pending',
        attemptCount: 0,
        attempts: [],
        lastAttempt: null,
        payload: {
          type: 'webhook.test',
          environment: 'staging',
          data: { webhookId, message: expect.any(String) },
        },
      });
      expect(body.eventId).toMatch(/^evt_test_/);
      expect(body.payload.id).toBe(body.eventId);
      expect(Date.parse(body.payload.occurredAt)).toBeGreaterThanOrEqual(before - 5);
      expect(body.id).toBe(deliveryIdOf(body.eventId, webhookId));
      expect(headers.get('location')).toBe(`/api/v1/deliveries/${body.id}`);

      const entry = await queue.findOne({ deliveryId: body.id });
      expect(entry).toMatchObject({
        attempt: 1,
        trigger: 'manual',
        oneShot: true,
        requestedBy: 'user:admin-user',
      });
      expect(entry!.dueAt.getTime()).toBeLessThanOrEqual(Date.now());

      const second = await call('POST', `/webhooks/${webhookId}/test`);
      expect(second.body.id).not.toBe(body.id);
      const listed = await read(`/deliveries?webhookId=${webhookId}&eventType=webhook.test`);
      expect(ids(listed.body)).toEqual([second.body.id, body.id]);
    });

    it('answers 404 for deleted and unknown webhooks, 400 for a malformed id', async () => {
      const webhookId = await createWebhook('Deliveries: test, deleted');
      expect((await call('DELETE', `/webhooks/${webhookId}`)).status).toBe(204);
      const deleted = await call('POST', `/webhooks/${webhookId}/test`);
      expect(deleted.status).toBe(404);
      expect(deleted.body.type).toBe('https://lmp.example/problems/webhook-not-found');
      expect(await queue.countDocuments({ webhookId })).toBe(0);
      expect((await call('POST', `/webhooks/${randomUUID()}/test`)).status).toBe(404);
      expect((await call('POST', '/webhooks/nope/test')).status).toBe(400);
    });
  });

  describe('every route, every role', () => {
    const ROLES: Role[] = ['viewer', 'auditor', 'admin', 'owner'];
    let webhookId: string;
    let deliveryId: string;

    beforeAll(async () => {
      webhookId = await createWebhook('Deliveries: role matrix');
      deliveryId = (await seed({ webhookId, event: 'roles', at: minutes(400), status: 'failed' }))
        ._id;
    });

    // Each route with the lowest role allowed; every lower role gets 403, no token 401.
    const routes: Array<[method: string, path: string, lowest: Role, body: unknown]> = [
      ['GET', '/deliveries', 'auditor', undefined],
      ['GET', '/deliveries/:delivery', 'auditor', undefined],
      ['POST', '/deliveries/:delivery/retry', 'admin', undefined],
      ['POST', '/webhooks/:webhook/recover', 'admin', { since: '2026-01-01T00:00:00Z' }],
      ['POST', '/webhooks/:webhook/test', 'admin', undefined],
    ];

    it.each(routes)(
      '%s %s: 401 without a token, 403 below %s, allowed from there up',
      async (method, template, lowest, body) => {
        const path = template.replace(':delivery', deliveryId).replace(':webhook', webhookId);
        expect((await call(method, path, { role: null, body })).status).toBe(401);
        for (const role of ROLES) {
          const { status } = await call(method, path, { role, body });
          if (ROLES.indexOf(role) < ROLES.indexOf(lowest)) expect(status).toBe(403);
          else expect([200, 202]).toContain(status);
        }
      },
    );
  });

  it('lists the delivery routes in the OpenAPI description', async () => {
    const response = await fetch(`${api.url}/api/docs/openapi.json`);
    const document = (await response.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/deliveries',
        '/api/v1/deliveries/{id}',
        '/api/v1/deliveries/{id}/retry',
        '/api/v1/webhooks/{id}/recover',
        '/api/v1/webhooks/{id}/test',
      ]),
    );
  });
});
