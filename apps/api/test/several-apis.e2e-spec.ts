import { signAccessToken } from '@app/platform';
import { eventually } from '../../../test/support/delivery-rig';
import { startTestApp, type TestApp } from '../../../test/support/test-app';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

const JWT_SECRET = 'e2e-test-signing-key-that-is-long-enough-0123456789';

/**
 * Two api processes (in-process apps, each with its own connection and projection host) on one
 * database: both run the durable webhook-list projection, one as its writer, the other following,
 * and each answers lists and details from its own in-memory webhook directory, brought up to the
 * log's head before every read.
 */
describe('several apis on one database', () => {
  let first: TestApp;
  let second: TestApp;
  const token = signAccessToken(JWT_SECRET, { id: 'admin-user', role: 'admin' }, 600);

  async function call(api: TestApp, method: string, path: string, body?: unknown) {
    const response = await fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return {
      status: response.status,
      etag: response.headers.get('etag'),
      body: text ? JSON.parse(text) : undefined,
    };
  }

  /** The webhook through `api` once it shows `version` (the next GET after a bounded wait). */
  async function shownBy(api: TestApp, id: string, version: number) {
    let seen: Awaited<ReturnType<typeof call>> | undefined;
    await eventually(
      async () => {
        seen = await call(api, 'GET', `/webhooks/${id}`);
        return seen.status === 200 && seen.body.version === version;
      },
      `webhook ${id} at version ${version}`,
      5_000,
    );
    return seen!;
  }

  beforeAll(async () => {
    const env = { AUTH_JWT_SECRET: JWT_SECRET, PROJECTION_POLL_INTERVAL_MS: '50' };
    first = await startTestApp(ApiModule, { label: 'several_apis', configure: configureApi, env });
    second = await startTestApp(ApiModule, {
      label: 'several_apis_second',
      configure: configureApi,
      env,
      mongodbUri: () => first.database.uri,
    });
  });

  afterAll(async () => {
    await second?.close();
    // Drops the shared database (the app itself may have been stopped by a test already).
    await first?.close();
  });

  it('answers every create and update through either api with 2xx, and the other api shows it as answered soon after', async () => {
    const apis = [first, second];
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const [writer, other] = i % 2 ? [second, first] : [first, second];
      const created = await call(writer, 'POST', '/webhooks', {
        name: `Hook ${i}`,
        url: `https://hooks.example.com/${i}`,
        environment: 'production',
        eventTypes: ['license.created'],
        active: i % 3 !== 0,
      });
      statuses.push(created.status);
      expect(created.body).toMatchObject({ name: `Hook ${i}`, version: 1 });
      const { secret: _secret, ...createdView } = created.body;
      // The answer is built from the events, the GET from the list view: the same webhook.
      expect((await shownBy(other, created.body.id, 1)).body).toEqual(createdView);

      const updated = await call(other, 'PATCH', `/webhooks/${created.body.id}`, {
        name: `Hook ${i} v2`,
      });
      statuses.push(updated.status);
      expect(updated.body).toMatchObject({ name: `Hook ${i} v2`, version: 2 });
      expect(updated.etag).toBe('"2"');
      const seen = await shownBy(writer, created.body.id, 2);
      expect(seen.body).toEqual(updated.body);
      expect(seen.etag).toBe('"2"');
    }
    expect(statuses.filter((status) => status < 200 || status >= 300)).toEqual([]);

    const lists = await Promise.all(apis.map((api) => call(api, 'GET', '/webhooks?limit=50')));
    for (const list of lists) expect(list.body.total).toBe(12);
  });

  it("shows a write made through one api in the other api's very next read: details, lists and counts", async () => {
    for (let i = 0; i < 6; i++) {
      const [writer, other] = i % 2 ? [second, first] : [first, second];
      const name = `Fresh ${i} ${Date.now()}`;
      const created = await call(writer, 'POST', '/webhooks', {
        name,
        url: `https://fresh.example.com/${i}`,
        environment: 'development',
        eventTypes: ['license.created'],
      });
      expect(created.status).toBe(201);
      // No waiting: the other api reads the log's head before it answers.
      const seen = await call(other, 'GET', `/webhooks/${created.body.id}`);
      expect(seen).toMatchObject({ status: 200, etag: '"1"', body: { name, status: 'active' } });
      const search = `/webhooks?search=${encodeURIComponent(name)}`;
      expect((await call(other, 'GET', search)).body).toMatchObject({
        total: 1,
        counts: { active: 1, inactive: 0 },
      });

      const paused = await call(other, 'POST', `/webhooks/${created.body.id}/deactivate`);
      expect(paused.status).toBe(200);
      expect((await call(writer, 'GET', `${search}&status=inactive`)).body).toMatchObject({
        total: 1,
        counts: { active: 0, inactive: 1 },
        items: [{ id: created.body.id, status: 'inactive', version: 2 }],
      });
    }
  });

  it('goes on writing and showing writes through the api that stays when the other stops', async () => {
    // A graceful stop (the app, not its database: the second api uses it): its projection writer
    // lease goes to the second api at once.
    await first.app.close();

    const created = await call(second, 'POST', '/webhooks', {
      name: 'After the stop',
      url: 'https://hooks.example.com/after',
      environment: 'staging',
      eventTypes: ['license.created'],
    });

    expect(created.status).toBe(201);
    const list = await call(second, 'GET', '/webhooks?search=after%20the%20stop');
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
  });
});
