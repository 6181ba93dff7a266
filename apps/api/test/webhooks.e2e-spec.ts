import mongoose from 'mongoose';
import { signAccessToken, type Role } from '@app/platform';
import { startTestApp, type TestApp } from '../../../test/support/test-app';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

const JWT_SECRET = 'e2e-test-signing-key-that-is-long-enough-0123456789';

describe('webhook management API (running api, real database)', () => {
  let api: TestApp;
  const token = (role: Role, sub = `${role}-user`) =>
    signAccessToken(JWT_SECRET, { id: sub, role }, 600);

  async function call(
    method: string,
    path: string,
    options: { role?: Role | null; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const role = options.role === undefined ? 'admin' : options.role;
    const response = await fetch(`${api.url}/api/v1${path}`, {
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

  const crm = {
    name: 'CRM Sync',
    url: 'https://crm.example.com/hooks/lmp',
    environment: 'production',
    eventTypes: ['license.created', 'license.assigned'],
    description: 'Keeps the CRM current',
  };

  beforeAll(async () => {
    api = await startTestApp(ApiModule, {
      label: 'api_webhooks',
      configure: configureApi,
      env: { AUTH_JWT_SECRET: JWT_SECRET, WEBHOOKS_ALLOW_HTTP: 'false' },
    });
  });

  afterAll(() => api?.close());

  it('serves the event catalogue grouped as the admin page shows it', async () => {
    const { status, body } = await call('GET', '/event-types', { role: 'viewer' });
    expect(status).toBe(200);
    expect(body.map((group: { group: string }) => group.group)).toEqual([
      'License',
      'Activation',
      'Product',
      'Contract',
      'Telemetry',
      'Operational',
    ]);
    expect(body.flatMap((group: { eventTypes: string[] }) => group.eventTypes)).toHaveLength(23);
  });

  it('serves its OpenAPI description at /api/docs, without a token', async () => {
    const response = await fetch(`${api.url}/api/docs/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { required?: string[] }> };
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/webhooks',
        '/api/v1/webhooks/{id}',
        '/api/v1/webhooks/{id}/secret/rotate',
        '/api/v1/event-types',
      ]),
    );
    expect(document.components.schemas.CreateWebhookDto.required).toEqual(
      expect.arrayContaining(['name', 'url', 'environment', 'eventTypes']),
    );
  });

  it('refuses missing tokens (401) and too low roles (403) as problem JSON', async () => {
    const anonymous = await call('GET', '/webhooks', { role: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const forged = await fetch(`${api.url}/api/v1/webhooks`, {
      headers: {
        authorization: `Bearer ${signAccessToken('another-key-that-is-long-enough-000000', { id: 'x', role: 'owner' }, 60)}`,
      },
    });
    expect(forged.status).toBe(401);
    expect((await call('GET', '/webhooks', { role: 'viewer' })).status).toBe(403);
    expect((await call('POST', '/webhooks', { role: 'auditor', body: crm })).status).toBe(403);
    expect((await call('GET', '/webhooks', { role: 'auditor' })).status).toBe(200);
  });

  it('creates a webhook, returns its secret once, and lists it at once (read your writes)', async () => {
    const created = await call('POST', '/webhooks', { body: crm });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...crm, status: 'active', eventCount: 2, version: 1 });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // The hint shows the last four characters of the key, base64 padding left out.
    expect(created.body.secretHint).toBe(
      `whsec_…${created.body.secret.replace(/=+$/, '').slice(-4)}`,
    );
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/api/v1/webhooks/${created.body.id}`);

    const list = await call('GET', '/webhooks?search=crm', { role: 'auditor' });
    expect(list.body.items.map((item: { id: string }) => item.id)).toContain(created.body.id);
    expect(list.body.items[0]).not.toHaveProperty('secret');
    const detail = await call('GET', `/webhooks/${created.body.id}`, { role: 'auditor' });
    expect(detail.body).not.toHaveProperty('secret');
    expect(detail.headers.get('etag')).toBe('"1"');
  });

  it('rejects bad input with the offending fields, and unknown fields', async () => {
    const bad = await call('POST', '/webhooks', {
      body: {
        ...crm,
        name: ' ',
        url: 'http://plain.example.com',
        eventTypes: ['license.created', 'nope'],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const fields = bad.body.errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'url', 'eventTypes']));
    expect(JSON.stringify(bad.body)).toContain('license.revoked'); // the valid types are listed

    const unknownField = await call('POST', '/webhooks', { body: { ...crm, colour: 'red' } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors.map((error: { field: string }) => error.field)).toContain(
      'colour',
    );
    const badSecret = await call('POST', '/webhooks', { body: { ...crm, secret: 'not-a-secret' } });
    expect(badSecret.status).toBe(400);
  });

  it('updates with If-Match, answers 412 to a stale version and changes nothing then', async () => {
    const { body: hook } = await call('POST', '/webhooks', { body: { ...crm, name: 'Editable' } });
    const updated = await call('PATCH', `/webhooks/${hook.id}`, {
      body: { url: 'https://crm.example.com/v2' },
      headers: { 'if-match': '"1"' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ url: 'https://crm.example.com/v2', version: 2 });
    expect(updated.headers.get('etag')).toBe('"2"');

    const stale = await call('PATCH', `/webhooks/${hook.id}`, {
      body: { name: 'Lost update' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ status: 412, currentVersion: 2 });
    expect((await call('GET', `/webhooks/${hook.id}`, { role: 'auditor' })).body.name).toBe(
      'Editable',
    );

    const noChange = await call('PATCH', `/webhooks/${hook.id}`, { body: { name: 'Editable' } });
    expect(noChange.body.version).toBe(2);
    expect(
      (
        await call('PATCH', `/webhooks/${hook.id}`, {
          body: {},
          headers: { 'if-match': 'garbage' },
        })
      ).status,
    ).toBe(400);
  });

  it('toggles the status and filters the list by it, with counts per status', async () => {
    const { body: hook } = await call('POST', '/webhooks', {
      body: { ...crm, name: 'Toggle me', environment: 'staging' },
    });
    const off = await call('POST', `/webhooks/${hook.id}/deactivate`);
    expect(off.body).toMatchObject({ status: 'inactive', deactivationReason: 'admin' });
    const inactive = await call('GET', '/webhooks?status=inactive&environment=staging', {
      role: 'auditor',
    });
    expect(inactive.body.items.map((item: { id: string }) => item.id)).toEqual([hook.id]);
    expect(inactive.body.counts.inactive).toBeGreaterThanOrEqual(1);
    const on = await call('POST', `/webhooks/${hook.id}/activate`);
    expect(on.body).toMatchObject({ status: 'active', version: 3 });
  });

  it('rotates the secret: the new one is returned once, the old one stays valid for the grace window', async () => {
    const { body: hook } = await call('POST', '/webhooks', { body: { ...crm, name: 'Rotating' } });
    const rotated = await call('POST', `/webhooks/${hook.id}/secret/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(hook.secret);
    const graceEnds = new Date(rotated.body.previousSecretValidUntil).getTime();
    expect(graceEnds - Date.now()).toBeGreaterThan(23 * 3600_000);

    expect((await call('GET', `/webhooks/${hook.id}/secret`, { role: 'auditor' })).status).toBe(
      403,
    );
    const revealed = await call('GET', `/webhooks/${hook.id}/secret`);
    expect(revealed.body).toMatchObject({
      secret: rotated.body.secret,
      previous: { secret: hook.secret, validUntil: rotated.body.previousSecretValidUntil },
    });
    expect(revealed.headers.get('cache-control')).toBe('no-store');
  });

  it('shows the history with actors and no secrets, and the webhook as of a past time', async () => {
    const { body: hook } = await call('POST', '/webhooks', { body: { ...crm, name: 'Audited' } });
    const createdAt = new Date();
    await call('PATCH', `/webhooks/${hook.id}`, { body: { name: 'Audited v2' } });
    await call('POST', `/webhooks/${hook.id}/secret/rotate`);

    const history = await call('GET', `/webhooks/${hook.id}/history`, { role: 'auditor' });
    expect(history.body.items.map((entry: { type: string }) => entry.type)).toEqual([
      'WebhookCreated',
      'WebhookUpdated',
      'SecretRotated',
    ]);
    expect(history.body.items[0].actor).toBe('user:admin-user');
    expect(history.body.items[1].details).toEqual({
      changes: { name: { from: 'Audited', to: 'Audited v2' } },
    });
    expect(JSON.stringify(history.body)).not.toMatch(/encryptedSecret|whsec_[A-Za-z0-9+/]{20}/);
    const page = await call('GET', `/webhooks/${hook.id}/history?limit=2`, { role: 'auditor' });
    // Pages go by position (the history merges the webhook's activity); a version still works.
    expect(page.body.nextAfter).toBe(history.body.items[1].position);
    const rest = await call('GET', `/webhooks/${hook.id}/history?after=${page.body.nextAfter}`, {
      role: 'auditor',
    });
    expect(rest.body.items.map((entry: { type: string }) => entry.type)).toEqual(['SecretRotated']);
    const afterVersion = await call('GET', `/webhooks/${hook.id}/history?after=2`, {
      role: 'auditor',
    });
    expect(afterVersion.body.items).toEqual(rest.body.items);

    const then = await call('GET', `/webhooks/${hook.id}?asOf=${createdAt.toISOString()}`, {
      role: 'auditor',
    });
    expect(then.body).toMatchObject({ name: 'Audited', version: 1 });
    const before = await call('GET', `/webhooks/${hook.id}?asOf=2000-01-01T00:00:00Z`, {
      role: 'auditor',
    });
    expect(before.status).toBe(404);
  });

  it('deletes: the webhook leaves the list, writes get 404, reads still work', async () => {
    const { body: hook } = await call('POST', '/webhooks', {
      body: { ...crm, name: 'Short-lived' },
    });
    expect((await call('DELETE', `/webhooks/${hook.id}`)).status).toBe(204);
    expect((await call('PATCH', `/webhooks/${hook.id}`, { body: { name: 'x' } })).status).toBe(404);
    expect((await call('POST', `/webhooks/${hook.id}/activate`)).status).toBe(404);
    const list = await call('GET', '/webhooks?search=short-lived', { role: 'auditor' });
    expect(list.body.total).toBe(0);
    expect((await call('GET', `/webhooks/${hook.id}`, { role: 'auditor' })).body.status).toBe(
      'deleted',
    );
    expect(
      (await call('GET', '/webhooks/00000000-0000-4000-8000-000000000000', { role: 'auditor' }))
        .status,
    ).toBe(404);
  });

  it('keeps no secret in plaintext anywhere in the database', async () => {
    const { body: hook } = await call('POST', '/webhooks', {
      body: { ...crm, name: 'Secret keeper' },
    });
    const rotated = await call('POST', `/webhooks/${hook.id}/secret/rotate`);
    const connection = await mongoose.createConnection(api.database.uri).asPromise();
    try {
      let dump = '';
      for (const { name } of await connection.db!.listCollections().toArray()) {
        dump += JSON.stringify(await connection.db!.collection(name).find().toArray());
      }
      expect(dump).toContain(hook.id);
      for (const secret of [hook.secret, rotated.body.secret]) {
        expect(dump).not.toContain(secret);
        expect(dump).not.toContain(secret.slice('whsec_'.length));
      }
    } finally {
      await connection.close();
    }
  });

  describe('every route, every role', () => {
    const ROLES: Role[] = ['viewer', 'auditor', 'admin', 'owner'];
    let id: string;

    beforeAll(async () => {
      id = (await call('POST', '/webhooks', { body: { ...crm, name: 'Role matrix' } })).body.id;
    });

    // Each route with the lowest role allowed; every lower role gets 403, no token 401. Every row
    // has all four cells: jest.each would take a missing one for a done callback.
    const routes: Array<[method: string, path: string, lowest: Role, body: unknown]> = [
      ['GET', '/event-types', 'viewer', undefined],
      ['GET', '/webhooks', 'auditor', undefined],
      ['GET', '/webhooks/:id', 'auditor', undefined],
      ['GET', '/webhooks/:id?asOf=:now', 'auditor', undefined],
      ['GET', '/webhooks/:id/history', 'auditor', undefined],
      ['GET', '/webhooks/:id/secret', 'admin', undefined],
      ['POST', '/webhooks', 'admin', crm],
      ['PATCH', '/webhooks/:id', 'admin', { description: 'changed' }],
      ['POST', '/webhooks/:id/deactivate', 'admin', undefined],
      ['POST', '/webhooks/:id/activate', 'admin', undefined],
      ['POST', '/webhooks/:id/secret/rotate', 'admin', {}],
      ['DELETE', '/webhooks/:id', 'admin', undefined],
    ];

    it.each(routes)(
      '%s %s: 401 without a token, 403 below %s, allowed from there up',
      async (method, template, lowest, body) => {
        const path = () =>
          template.replace(':id', id).replace(':now', encodeURIComponent(new Date().toISOString()));
        expect((await call(method, path(), { role: null, body })).status).toBe(401);
        for (const role of ROLES) {
          const { status } = await call(method, path(), { role, body });
          if (ROLES.indexOf(role) < ROLES.indexOf(lowest)) expect(status).toBe(403);
          else expect([401, 403]).not.toContain(status);
        }
      },
    );
  });
});
