import { signAccessToken, type Role } from '@app/platform';
import { startTestApp, type TestApp } from '../../../test/support/test-app';
import { eventually } from '../../../test/support/within';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

const JWT_SECRET = 'e2e-test-signing-key-that-is-long-enough-0123456789';

interface AuditEntry {
  position: number;
  at: string;
  type: string;
  actor: string;
  correlationId: string;
  subject: { kind: string; id: string };
  details: Record<string, unknown>;
}

// One app and database for the whole file: the tests run in order and build on each other's writes.
describe('audit: reveals recorded, history with activity, retry policy history, GET /audit', () => {
  let api: TestApp;
  const token = (role: Role, sub = `${role}-user`) =>
    signAccessToken(JWT_SECRET, { id: sub, role }, 600);

  async function call(
    method: string,
    path: string,
    options: { role?: Role; sub?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const role = options.role ?? 'admin';
    const response = await fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token(role, options.sub)}`,
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

  const audit = async (query = '') =>
    (await call('GET', `/audit${query}`, { role: 'auditor' })).body as {
      items: AuditEntry[];
      nextCursor: string | null;
    };

  const hook = {
    name: 'Audited CRM',
    url: 'https://crm.example.com/hooks/lmp',
    environment: 'production',
    eventTypes: ['license.created'],
  };
  let webhook: { id: string; secret: string; version: number };

  beforeAll(async () => {
    api = await startTestApp(ApiModule, {
      label: 'api_audit',
      configure: configureApi,
      env: { AUTH_JWT_SECRET: JWT_SECRET },
    });
    webhook = (await call('POST', '/webhooks', { body: hook })).body;
  });

  afterAll(() => api?.close());

  it('records a secret reveal in the history (who, when), never the secret, and leaves the ETag as it was', async () => {
    // Given
    const before = await call('GET', `/webhooks/${webhook.id}`, { role: 'auditor' });

    // When
    const revealed = await call('GET', `/webhooks/${webhook.id}/secret`, {
      sub: 'alice',
      headers: { 'x-correlation-id': 'reveal-e2e' },
    });

    // Then
    expect(revealed.status).toBe(200);
    expect(revealed.body.secret).toBe(webhook.secret);
    const after = await call('GET', `/webhooks/${webhook.id}`, { role: 'auditor' });
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(after.body.version).toBe(before.body.version);
    expect(revealed.headers.get('etag')).toBe(before.headers.get('etag'));

    const history = await call('GET', `/webhooks/${webhook.id}/history`, { role: 'auditor' });
    expect(history.body.items.map((entry: { type: string }) => entry.type)).toEqual([
      'WebhookCreated',
      'SecretRevealed',
    ]);
    expect(history.body.items[1]).toMatchObject({
      actor: 'user:alice',
      correlationId: 'reveal-e2e',
      source: 'activity',
      version: 1,
      details: { webhookVersion: 1, signatureScheme: 'symmetric', previousIncluded: false },
    });
    expect(Date.parse(history.body.items[1].at)).toBeGreaterThanOrEqual(
      Date.parse(after.body.createdAt),
    );
    const text = JSON.stringify(history.body);
    expect(text).not.toContain(webhook.secret);
    expect(text).not.toContain(webhook.secret.slice('whsec_'.length, -4));
  });

  it('lists the reveal in GET /audit with its actor and subject, and no secret', async () => {
    // When
    let found: AuditEntry | undefined;
    await eventually(async () => {
      found = (await audit('?type=SecretRevealed')).items[0];
      return found !== undefined;
    }, 'the reveal in the audit');

    // Then
    expect(found).toMatchObject({
      type: 'SecretRevealed',
      actor: 'user:alice',
      correlationId: 'reveal-e2e',
      subject: { kind: 'webhook', id: webhook.id },
    });
    expect(JSON.stringify(found)).not.toContain(webhook.secret);
    const all = await audit();
    expect(all.items.map((entry) => entry.type)).toEqual(['SecretRevealed', 'WebhookCreated']);
  });

  it('keeps the history of the retry policy: version, time, actor, from what to what', async () => {
    // Given
    await call('PUT', '/settings/retry-policy', {
      role: 'owner',
      sub: 'olga',
      body: { retryIntervalsSeconds: [10, 60], jitter: 0.2 },
    });
    await call('PUT', '/settings/retry-policy', {
      role: 'owner',
      sub: 'olga',
      body: { retryIntervalsSeconds: [10, 60], jitter: 0.1 },
    });

    // When
    const first = await call('GET', '/settings/retry-policy/history?limit=1', { role: 'auditor' });
    const rest = await call('GET', `/settings/retry-policy/history?after=${first.body.nextAfter}`, {
      role: 'auditor',
    });

    // Then
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      expect.objectContaining({
        type: 'RetryPolicySet',
        version: 1,
        actor: 'user:olga',
        changes: {
          retryIntervalsSeconds: { from: [5, 300, 1800, 7200, 18000, 36000, 36000], to: [10, 60] },
        },
      }),
    ]);
    expect(first.body.nextAfter).toBe(1);
    expect(rest.body).toEqual({
      items: [expect.objectContaining({ version: 2, changes: { jitter: { from: 0.2, to: 0.1 } } })],
      nextAfter: null,
    });
    await eventually(
      async () => (await audit('?actor=user:olga')).items.length === 2,
      'the policy changes in the audit',
    );
    expect((await audit('?actor=user:olga')).items[0]).toMatchObject({
      type: 'RetryPolicySet',
      subject: { kind: 'settings', id: 'retry-policy' },
      details: { retryIntervalsSeconds: [10, 60], jitter: 0.1 },
    });
  });

  it('filters the audit by type (repeated or a comma list), actor, webhook and time, and pages by cursor', async () => {
    // Given: everything so far, newest first
    await eventually(async () => (await audit()).items.length === 4, 'four actions audited');
    const all = (await audit()).items;

    // When
    const commaList = await audit('?type=RetryPolicySet,WebhookCreated');
    const repeated = await audit('?type=RetryPolicySet&type=WebhookCreated');
    const byWebhook = await audit(`?webhookId=${webhook.id}`);
    const since = await audit(`?from=${encodeURIComponent(all[1].at)}`);
    const until = await audit(`?to=${encodeURIComponent(all[2].at)}`);
    const first = await audit('?limit=3');
    const second = await audit(`?limit=3&cursor=${first.nextCursor}`);

    // Then
    const positions = (page: { items: AuditEntry[] }) => page.items.map((entry) => entry.position);
    expect(positions(commaList)).toEqual([all[0], all[1], all[3]].map((entry) => entry.position));
    expect(positions(repeated)).toEqual(positions(commaList));
    expect(byWebhook.items.map((entry) => entry.type)).toEqual([
      'SecretRevealed',
      'WebhookCreated',
    ]);
    expect(since.items.every((entry) => entry.at >= all[1].at)).toBe(true);
    expect(since.items.map((entry) => entry.position)).toContain(all[1].position);
    expect(until.items.every((entry) => entry.at < all[2].at)).toBe(true);
    expect(positions(first)).toEqual(all.slice(0, 3).map((entry) => entry.position));
    expect(positions(second)).toEqual([all[3].position]);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a bad cursor, a bad limit and a bad time as problem JSON', async () => {
    for (const query of ['?cursor=nonsense', '?limit=0', '?limit=101', '?from=yesterday']) {
      const response = await call('GET', `/audit${query}`, { role: 'auditor' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('lets auditors and up read the audit and the policy history, not viewers', async () => {
    for (const path of ['/audit', '/settings/retry-policy/history']) {
      expect((await call('GET', path, { role: 'viewer' })).status).toBe(403);
      expect((await call('GET', path, { role: 'auditor' })).status).toBe(200);
      expect((await call('GET', path, { role: 'owner' })).status).toBe(200);
    }
  });

  it('lists deleted webhooks with status=deleted, each still readable with its history', async () => {
    // Given
    const doomed = (await call('POST', '/webhooks', { body: { ...hook, name: 'Doomed' } })).body;
    expect((await call('DELETE', `/webhooks/${doomed.id}`)).status).toBe(204);

    // When
    const deleted = await call('GET', '/webhooks?status=deleted', { role: 'auditor' });
    const live = await call('GET', '/webhooks', { role: 'auditor' });

    // Then
    expect(deleted.body.items.map((item: { id: string }) => item.id)).toEqual([doomed.id]);
    expect(deleted.body).toMatchObject({ total: 1, counts: { active: 1, inactive: 0 } });
    expect(deleted.body.items[0].status).toBe('deleted');
    expect(live.body.items.map((item: { id: string }) => item.id)).toEqual([webhook.id]);
    const history = await call('GET', `/webhooks/${doomed.id}/history`, { role: 'auditor' });
    expect(history.body.items.map((entry: { type: string }) => entry.type)).toEqual([
      'WebhookCreated',
      'WebhookDeleted',
    ]);
    expect((await call('GET', `/webhooks/${doomed.id}/secret`)).status).toBe(404);
  });

  it('shows the webhook at any version of its history, and refuses asOf with version', async () => {
    // Given
    await call('PATCH', `/webhooks/${webhook.id}`, { body: { name: 'Audited CRM v2' } });

    // When
    const v1 = await call('GET', `/webhooks/${webhook.id}?version=1`, { role: 'auditor' });
    const v2 = await call('GET', `/webhooks/${webhook.id}?version=2`, { role: 'auditor' });
    const v3 = await call('GET', `/webhooks/${webhook.id}?version=3`, { role: 'auditor' });
    const both = await call('GET', `/webhooks/${webhook.id}?version=1&asOf=${v1.body.createdAt}`, {
      role: 'auditor',
    });

    // Then
    expect(v1.body).toMatchObject({ name: 'Audited CRM', version: 1 });
    expect(v1.headers.get('etag')).toBe('"1"');
    expect(v2.body).toMatchObject({ name: 'Audited CRM v2', version: 2 });
    expect(v3.status).toBe(404);
    expect(both.status).toBe(400);
  });

  it("shows a manual send of the deliveries side in the webhook's history and the audit, with who asked", async () => {
    // When
    const sent = await call('POST', `/webhooks/${webhook.id}/test`, { sub: 'tess', body: {} });

    // Then
    expect(sent.status).toBeLessThan(300);
    const history = await call('GET', `/webhooks/${webhook.id}/history`, { role: 'auditor' });
    const entry = history.body.items.at(-1);
    expect(entry).toMatchObject({
      type: 'TestDeliveryRequested',
      source: 'activity',
      actor: 'user:tess',
      version: 2,
      details: { deliveryId: sent.body.id },
    });
    expect(entry.details).not.toHaveProperty('webhookId');
    await eventually(
      async () => (await audit(`?actor=user:tess&webhookId=${webhook.id}`)).items.length === 1,
      'the test send in the audit',
    );
    expect((await audit('?actor=user:tess')).items[0]).toMatchObject({
      type: 'TestDeliveryRequested',
      subject: { kind: 'webhook', id: webhook.id },
      details: { deliveryId: sent.body.id },
    });
  });
});
