import { signAccessToken } from '@app/platform';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApi } from '../../apps/api/src/configure-api';
import { startTestApp, type TestApp } from '../support/test-app';

// Input an attacker controls on the admin API: each test is one way to make the api do more than
// it was asked, and asserts the refusal (RFC 9457 problem JSON) and that nothing else happened.

const JWT_SECRET = 'security-input-signing-key-0123456789abcdef';
const admin = () => signAccessToken(JWT_SECRET, { id: 'security-admin', role: 'admin' }, 600);

const webhook = {
  name: 'Input check',
  url: 'https://input.example.com/hooks',
  environment: 'production',
  eventTypes: ['license.created'],
};

describe('security: hostile input to the admin API', () => {
  let api: TestApp;

  async function call(method: string, path: string, body?: string) {
    const response = await fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${admin()}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
  }

  beforeAll(async () => {
    api = await startTestApp(ApiModule, {
      label: 'security_input',
      configure: configureApi,
      env: { AUTH_JWT_SECRET: JWT_SECRET },
    });
    expect((await call('POST', '/webhooks', JSON.stringify(webhook))).status).toBe(201);
  });

  afterAll(() => api?.close());

  it('When a request body is larger than the api accepts, then it answers 413 problem JSON and creates nothing', async () => {
    const huge = JSON.stringify({ ...webhook, description: 'x'.repeat(2 * 1024 * 1024) });
    const response = await call('POST', '/webhooks', huge);
    expect(response.status).toBe(413);
    expect(response.type).toMatch(/^application\/problem\+json/);
    const list = await call('GET', '/webhooks?limit=100');
    expect((list.body?.items as unknown[]).length).toBe(1);
  });

  it.each([
    ['an operator object as the name', 'name', { ...webhook, name: { $gt: '' } }],
    [
      'an operator object as the environment',
      'environment',
      { ...webhook, environment: { $ne: 'x' } },
    ],
    [
      'an operator inside the event types',
      'eventTypes',
      { ...webhook, eventTypes: [{ $exists: true }] },
    ],
    ['a $where beside the fields', '$where', { ...webhook, $where: 'sleep(1000)' }],
  ])(
    'When a create carries %s, then it answers 400 problem JSON naming the field and stores nothing of it',
    async (_, field, body) => {
      const response = await call('POST', '/webhooks', JSON.stringify(body));
      expect(response.status).toBe(400);
      expect(response.type).toMatch(/^application\/problem\+json/);
      const fields = (response.body?.errors as { field: string }[]).map((error) => error.field);
      expect(fields.some((name) => name.startsWith(field))).toBe(true);
      const list = await call('GET', '/webhooks?limit=100');
      expect((list.body?.items as unknown[]).length).toBe(1);
    },
  );

  it.each([
    ['/webhooks?environment[$ne]=production'],
    ['/webhooks?search[$regex]=.*'],
    ['/webhooks?status[$gt]='],
    ['/deliveries?webhookId[$ne]=x'],
    ['/deliveries?status[$in][]=failed'],
    ['/deliveries?eventId[$exists]=true'],
  ])(
    'When a list is filtered with a query operator (%s), then it answers 400 problem JSON, never a widened match',
    async (path) => {
      const response = await call('GET', path);
      expect(response.status).toBe(400);
      expect(response.type).toMatch(/^application\/problem\+json/);
    },
  );

  it('When a body is not JSON, then it answers 400 problem JSON', async () => {
    const response = await call('POST', '/webhooks', '{"name": ');
    expect(response.status).toBe(400);
    expect(response.type).toMatch(/^application\/problem\+json/);
  });
});
