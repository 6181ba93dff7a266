import mongoose from 'mongoose';
import { signAccessToken, type Role } from '@app/platform';
import { startTestApp, type TestApp } from '../../../test/support/test-app';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

const JWT_SECRET = 'e2e-test-signing-key-that-is-long-enough-0123456789';
/** An event as the store keeps it inside its commit document. */
interface StoredEventDocument {
  type: string;
  schemaVersion: number;
  version: number;
  data: unknown;
  metadata: Record<string, unknown>;
}

const DEFAULT = { retryIntervalsSeconds: [5, 300, 1800, 7200, 18000, 36000, 36000], jitter: 0.2 };

// One app and database for the whole file: the tests run in order and build on each other's writes.
describe('retry policy setting (running api, real database)', () => {
  let api: TestApp;
  const token = (role: Role, sub = `${role}-user`) =>
    signAccessToken(JWT_SECRET, { id: sub, role }, 600);

  async function call(
    method: 'GET' | 'PUT',
    options: { role?: Role | null; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const role = options.role === undefined ? 'owner' : options.role;
    const response = await fetch(`${api.url}/api/v1/settings/retry-policy`, {
      method,
      headers: {
        ...(role ? { authorization: `Bearer ${token(role)}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
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

  const fieldsOf = (body: { errors: { field: string }[] }) => body.errors.map((e) => e.field);

  beforeAll(async () => {
    api = await startTestApp(ApiModule, {
      label: 'api_retry_policy',
      configure: configureApi,
      env: { AUTH_JWT_SECRET: JWT_SECRET },
    });
  });

  afterAll(() => api?.close());

  it('returns the default at first, at version 0, never updated', async () => {
    const { status, headers, body } = await call('GET', { role: 'auditor' });
    expect(status).toBe(200);
    expect(body).toEqual({ ...DEFAULT, version: 0, updatedAt: null, updatedBy: null });
    expect(headers.get('etag')).toBe('"0"');
  });

  it('records nothing when the owner puts the policy already in force', async () => {
    const same = await call('PUT', { body: DEFAULT, headers: { 'if-match': '"0"' } });
    expect(same.status).toBe(200);
    expect(same.body).toEqual({ ...DEFAULT, version: 0, updatedAt: null, updatedBy: null });
  });

  it('lets the owner change it; the next read shows it with its version and who changed it', async () => {
    const before = Date.now();
    const put = await call('PUT', {
      body: { retryIntervalsSeconds: [10, 60, 3600, 60], jitter: 0.1 },
      headers: { 'if-match': '"0"', 'x-correlation-id': 'retry-policy-e2e' },
    });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe('"1"');
    expect(put.body).toMatchObject({
      retryIntervalsSeconds: [10, 60, 3600, 60],
      jitter: 0.1,
      version: 1,
      updatedBy: 'user:owner-user',
    });
    expect(Date.parse(put.body.updatedAt)).toBeGreaterThanOrEqual(before - 1000);

    const read = await call('GET', { role: 'auditor' });
    expect(read.body).toEqual(put.body);
    expect(read.headers.get('etag')).toBe('"1"');
  });

  it('answers 412 to a stale If-Match and changes nothing', async () => {
    const stale = await call('PUT', { body: DEFAULT, headers: { 'if-match': '"0"' } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(stale.headers.get('etag')).toBe('"1"');
    expect(stale.body).toMatchObject({
      status: 412,
      type: 'https://lmp.example/problems/version-conflict',
      title: 'The retry policy changed since you read it',
      currentVersion: 1,
    });
    expect((await call('GET', { role: 'auditor' })).body).toMatchObject({
      jitter: 0.1,
      version: 1,
    });
  });

  it('applies a PUT without If-Match to the current version', async () => {
    const put = await call('PUT', { body: { retryIntervalsSeconds: [], jitter: 0 } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ retryIntervalsSeconds: [], jitter: 0, version: 2 });
  });

  it('lets only owners write and auditors and up read: 401 without a token, 403 below', async () => {
    expect((await call('GET', { role: null })).status).toBe(401);
    expect((await call('PUT', { role: null, body: DEFAULT })).status).toBe(401);
    const viewer = await call('GET', { role: 'viewer' });
    expect(viewer.status).toBe(403);
    expect(viewer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    for (const role of ['auditor', 'admin', 'owner'] as const) {
      expect((await call('GET', { role })).status).toBe(200);
    }
    for (const role of ['viewer', 'auditor', 'admin'] as const) {
      expect((await call('PUT', { role, body: DEFAULT })).status).toBe(403);
    }
    expect((await call('GET', { role: 'auditor' })).body.version).toBe(2);
  });

  it('rejects bad values as problem JSON naming every bad field, and changes nothing', async () => {
    const bad = await call('PUT', {
      body: { retryIntervalsSeconds: [0, 5, 1.5, 604801], jitter: 1.5 },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({
      status: 400,
      type: 'https://lmp.example/problems/validation-error',
    });
    expect(fieldsOf(bad.body)).toEqual([
      'retryIntervalsSeconds.0',
      'retryIntervalsSeconds.2',
      'retryIntervalsSeconds.3',
      'jitter',
    ]);

    const tooMany = await call('PUT', {
      body: { retryIntervalsSeconds: Array.from({ length: 21 }, () => 60), jitter: 0.2 },
    });
    expect(tooMany.status).toBe(400);
    expect(fieldsOf(tooMany.body)).toEqual(['retryIntervalsSeconds']);
    expect(tooMany.body.errors[0].message).toContain('at most 20');

    const wrongTypes = await call('PUT', {
      body: { retryIntervalsSeconds: '5,300', colour: 'red' },
    });
    expect(wrongTypes.status).toBe(400);
    expect(fieldsOf(wrongTypes.body)).toEqual(
      expect.arrayContaining(['retryIntervalsSeconds', 'jitter', 'colour']),
    );
    const stringItems = await call('PUT', { body: { retryIntervalsSeconds: ['5'], jitter: 0.2 } });
    expect(stringItems.status).toBe(400);
    expect(fieldsOf(stringItems.body)).toEqual(['retryIntervalsSeconds']);

    const badIfMatch = await call('PUT', { body: DEFAULT, headers: { 'if-match': 'garbage' } });
    expect(badIfMatch.status).toBe(400);

    expect((await call('GET', { role: 'auditor' })).body.version).toBe(2);
  });

  it('keeps every change as a RetryPolicySet event in the event store, with its actor', async () => {
    const connection = await mongoose.createConnection(api.database.uri).asPromise();
    try {
      const commits = await connection
        .db!.collection('event_commits')
        .find({ streamId: 'settings-retry-policy' })
        .sort({ fromVersion: 1 })
        .toArray();
      const events = commits.flatMap((commit) => commit.events as StoredEventDocument[]);
      expect(events.map((event) => [event.type, event.schemaVersion, event.version])).toEqual([
        ['RetryPolicySet', 1, 1],
        ['RetryPolicySet', 1, 2],
      ]);
      expect(events[0].data).toEqual({ retryIntervalsSeconds: [10, 60, 3600, 60], jitter: 0.1 });
      expect(events[0].metadata).toMatchObject({
        actor: 'user:owner-user',
        correlationId: 'retry-policy-e2e',
        causationId: expect.stringMatching(/^request:/),
      });
      expect(events[1].data).toEqual({ retryIntervalsSeconds: [], jitter: 0 });
    } finally {
      await connection.close();
    }
  });

  it('lists the routes in the OpenAPI description', async () => {
    const response = await fetch(`${api.url}/api/docs/openapi.json`);
    const document = (await response.json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(document.paths['/api/v1/settings/retry-policy']).sort()).toEqual([
      'get',
      'put',
    ]);
  });
});
