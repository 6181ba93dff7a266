import { signAccessToken, type Role } from '@app/platform';
import { startTestApp, type TestApp } from '../../../test/support/test-app';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

const JWT_SECRET = 'e2e-test-signing-key-that-is-long-enough-0123456789';

describe("a webhook's own delivery settings (running api, real database)", () => {
  let api: TestApp;
  const token = (role: Role) => signAccessToken(JWT_SECRET, { id: `${role}-user`, role }, 600);

  async function call(
    method: string,
    path: string,
    options: { role?: Role; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const response = await fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token(options.role ?? 'admin')}`,
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

  const fields = {
    name: 'CRM Sync',
    url: 'https://crm.example.com/hooks/lmp',
    environment: 'production',
    eventTypes: ['license.created'],
  };

  beforeAll(async () => {
    api = await startTestApp(ApiModule, {
      label: 'api_webhook_delivery_settings',
      configure: configureApi,
      env: { AUTH_JWT_SECRET: JWT_SECRET },
    });
  });

  afterAll(() => api?.close());

  it('given no settings, when a webhook is created, then its view shows the defaults', async () => {
    const { status, body } = await call('POST', '/webhooks', { body: fields });

    expect(status).toBe(201);
    expect(body).toMatchObject({ retryPolicy: null, rateLimitPerSecond: null, headers: {} });
  });

  it('given settings, when created, then the view, the list and the history show them; the history names headers, never their values', async () => {
    const created = await call('POST', '/webhooks', {
      body: {
        ...fields,
        name: 'With settings',
        retryPolicy: { retryIntervalsSeconds: [10, 60], jitter: 0.1 },
        rateLimitPerSecond: 25,
        headers: { Authorization: 'Bearer very-secret-token', 'X-Team': 'crm' },
      },
    });
    expect(created.status).toBe(201);
    const expected = {
      retryPolicy: { retryIntervalsSeconds: [10, 60], jitter: 0.1 },
      rateLimitPerSecond: 25,
      headers: { authorization: 'Bearer very-secret-token', 'x-team': 'crm' },
    };
    expect(created.body).toMatchObject({ ...expected, version: 2 });
    expect(created.headers.get('etag')).toBe('"2"');

    const read = await call('GET', `/webhooks/${created.body.id}`, { role: 'auditor' });
    expect(read.body).toMatchObject(expected);
    const list = await call('GET', '/webhooks?search=With%20settings', { role: 'auditor' });
    expect(list.body.items).toEqual([expect.objectContaining(expected)]);

    const history = await call('GET', `/webhooks/${created.body.id}/history`, { role: 'auditor' });
    const settings = history.body.items.find(
      (entry: { type: string }) => entry.type === 'DeliverySettingsChanged',
    );
    expect(settings.actor).toBe('user:admin-user');
    expect(settings.details.changes).toEqual({
      retryPolicy: { from: null, to: { retryIntervalsSeconds: [10, 60], jitter: 0.1 } },
      rateLimitPerSecond: { from: null, to: 25 },
      headers: { added: ['authorization', 'x-team'], removed: [], changed: [] },
    });
    expect(JSON.stringify(history.body)).not.toContain('very-secret-token');
  });

  it('updates the settings with If-Match like the other fields, and a stale version changes nothing', async () => {
    const created = await call('POST', '/webhooks', { body: { ...fields, name: 'Edited' } });
    const id = created.body.id as string;

    const updated = await call('PATCH', `/webhooks/${id}`, {
      body: { rateLimitPerSecond: 3, headers: { 'x-api-key': 'k1' } },
      headers: { 'if-match': '"1"' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      rateLimitPerSecond: 3,
      headers: { 'x-api-key': 'k1' },
      version: 2,
    });

    const stale = await call('PATCH', `/webhooks/${id}`, {
      body: { rateLimitPerSecond: 9 },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);

    const back = await call('PATCH', `/webhooks/${id}`, {
      body: { rateLimitPerSecond: null, retryPolicy: null, headers: { 'x-api-key': 'k2' } },
      headers: { 'if-match': '"2"' },
    });
    expect(back.body).toMatchObject({
      rateLimitPerSecond: null,
      retryPolicy: null,
      headers: { 'x-api-key': 'k2' },
      version: 3,
    });
    const history = await call('GET', `/webhooks/${id}/history`, { role: 'auditor' });
    expect(history.body.items.at(-1).details.changes).toEqual({
      rateLimitPerSecond: { from: 3, to: null },
      headers: { added: [], removed: [], changed: ['x-api-key'] },
    });
    expect(JSON.stringify(history.body)).not.toMatch(/k1|k2/);
  });

  it.each([
    ['webhook-signature', 'headers.webhook-signature'],
    ['X-Webhook-Id', 'headers.X-Webhook-Id'],
    ['Host', 'headers.Host'],
    ['Content-Length', 'headers.Content-Length'],
    ['Transfer-Encoding', 'headers.Transfer-Encoding'],
    ['User-Agent', 'headers.User-Agent'],
  ])('refuses the header %s with a 400 problem naming it', async (name, field) => {
    const { status, headers, body } = await call('POST', '/webhooks', {
      body: { ...fields, headers: { [name]: 'value' } },
    });

    expect(status).toBe(400);
    expect(headers.get('content-type')).toContain('application/problem+json');
    expect(body.errors).toEqual([
      expect.objectContaining({ field, message: expect.stringContaining(`"${name}"`) }),
    ]);
  });

  it('refuses a bad override policy by the default policy rules, and a bad cap, all in one problem', async () => {
    const { status, body } = await call('POST', '/webhooks', {
      body: {
        ...fields,
        retryPolicy: { retryIntervalsSeconds: [0], jitter: 2 },
        rateLimitPerSecond: 0,
        headers: { 'x-split': 'a\r\nb' },
      },
    });

    expect(status).toBe(400);
    expect(body.errors.map((error: { field: string }) => error.field)).toEqual([
      'retryPolicy.retryIntervalsSeconds.0',
      'retryPolicy.jitter',
      'rateLimitPerSecond',
      'headers.x-split',
    ]);
  });

  it('lets only admins change them', async () => {
    const created = await call('POST', '/webhooks', { body: { ...fields, name: 'Guarded' } });
    const { status } = await call('PATCH', `/webhooks/${created.body.id}`, {
      role: 'auditor',
      body: { rateLimitPerSecond: 1 },
    });
    expect(status).toBe(403);
  });
});
