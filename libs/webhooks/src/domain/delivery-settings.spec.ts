import {
  MAX_CUSTOM_HEADERS,
  RATE_LIMIT_MAX_PER_SECOND,
  headerNamesChanged,
  validateDeliverySettings,
} from './delivery-settings';
import { WebhookValidationError } from './webhook.errors';
import type { DeliverySettingsChanged, WebhookEvent } from './webhook.events';
import { evolve, initialState, WEBHOOK_EVENT_SCHEMA_VERSIONS } from './webhook.events';
import { WEBHOOK_ID, createWebhook, given, webhookCreated } from './testing/webhook-fixtures';

const id = WEBHOOK_ID;

const violationsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookValidationError) return error.fields;
    throw error;
  }
  throw new Error('expected a WebhookValidationError');
};

const settingsChanged = (
  changes: DeliverySettingsChanged['data']['changes'],
): DeliverySettingsChanged => ({ type: 'DeliverySettingsChanged', data: { id, changes } });

const update = (deliverySettings: Parameters<typeof validateDeliverySettings>[0], changes = {}) =>
  ({ type: 'UpdateWebhook', data: { id, changes, deliverySettings } }) as const;

describe('validateDeliverySettings', () => {
  it('given valid settings, then it returns them in canonical form (header names lower case, sorted, values trimmed)', () => {
    expect(
      validateDeliverySettings({
        retryPolicy: { retryIntervalsSeconds: [10, 60], jitter: 0 },
        rateLimitPerSecond: 5,
        headers: { 'X-Team': ' crm ', Authorization: 'Bearer abc' },
      }),
    ).toEqual({
      retryPolicy: { retryIntervalsSeconds: [10, 60], jitter: 0 },
      rateLimitPerSecond: 5,
      headers: { authorization: 'Bearer abc', 'x-team': 'crm' },
    });
  });

  it('given nulls, then they mean the default policy and no cap', () => {
    expect(validateDeliverySettings({ retryPolicy: null, rateLimitPerSecond: null })).toEqual({
      retryPolicy: null,
      rateLimitPerSecond: null,
    });
  });

  it("given a bad retry policy, then the default policy's own rules report it under retryPolicy.", () => {
    const fields = violationsOf(() =>
      validateDeliverySettings({ retryPolicy: { retryIntervalsSeconds: [0, 5], jitter: 2 } }),
    );
    expect(fields).toEqual([
      {
        field: 'retryPolicy.retryIntervalsSeconds.0',
        message: 'must be a whole number of seconds from 1 to 604800 (7 days)',
      },
      {
        field: 'retryPolicy.jitter',
        message: 'must be a number from 0 to 1 (a fraction of each interval)',
      },
    ]);
  });

  it('refuses a rate cap that is not a whole number from 1 to the maximum', () => {
    for (const bad of [0, -1, 1.5, RATE_LIMIT_MAX_PER_SECOND + 1, Number.NaN]) {
      expect(violationsOf(() => validateDeliverySettings({ rateLimitPerSecond: bad }))).toEqual([
        expect.objectContaining({ field: 'rateLimitPerSecond' }),
      ]);
    }
    expect(validateDeliverySettings({ rateLimitPerSecond: RATE_LIMIT_MAX_PER_SECOND })).toEqual({
      rateLimitPerSecond: RATE_LIMIT_MAX_PER_SECOND,
    });
  });

  it.each([
    'webhook-signature',
    'Webhook-Id',
    'webhook-timestamp',
    'webhook-anything',
    'X-Webhook-Signature',
    'x-webhook-event',
    'Host',
    'Content-Length',
    'content-type',
    'Transfer-Encoding',
    'Connection',
    'keep-alive',
    'upgrade',
    'te',
    'User-Agent',
  ])('refuses the reserved header %s, naming it', (name) => {
    const [violation] = violationsOf(() => validateDeliverySettings({ headers: { [name]: 'x' } }));
    expect(violation.field).toBe(`headers.${name}`);
    expect(violation.message).toContain(`"${name}"`);
    expect(violation.message).toContain('cannot be set');
  });

  it('refuses names that are not RFC 9110 tokens and values with CR, LF or NUL, never quoting the value', () => {
    const fields = violationsOf(() =>
      validateDeliverySettings({
        headers: {
          'bad name': 'x',
          'x-split': 'secret\r\nx-injected: 1',
          'x-nul': 'sec\u0000ret',
          'x-long': 'a'.repeat(1001),
        },
      }),
    );
    expect(fields.map((violation) => violation.field)).toEqual([
      'headers.bad name',
      'headers.x-split',
      'headers.x-nul',
      'headers.x-long',
    ]);
    expect(JSON.stringify(fields)).not.toContain('secret');
  });

  it('refuses a name given twice in different cases, and more than the maximum of headers', () => {
    expect(
      violationsOf(() => validateDeliverySettings({ headers: { 'X-A': '1', 'x-a': '2' } })),
    ).toEqual([expect.objectContaining({ field: 'headers.x-a' })]);
    const many = Object.fromEntries(
      Array.from({ length: MAX_CUSTOM_HEADERS + 1 }, (_, i) => [`x-h${i}`, 'v']),
    );
    expect(violationsOf(() => validateDeliverySettings({ headers: many }))).toEqual([
      { field: 'headers', message: `must have at most ${MAX_CUSTOM_HEADERS} headers, has 21` },
    ]);
  });
});

describe('headerNamesChanged', () => {
  it('names what was added, removed and changed, never a value', () => {
    expect(headerNamesChanged({ a: '1', b: '2', c: '3' }, { a: '1', b: 'two', d: '4' })).toEqual({
      added: ['d'],
      removed: ['c'],
      changed: ['b'],
    });
  });
});

describe('decide with delivery settings', () => {
  it('given no webhook, when created with settings, then WebhookCreated keeps its shape and DeliverySettingsChanged follows', () => {
    given([])
      .when(
        createWebhook({
          deliverySettings: {
            rateLimitPerSecond: 10,
            headers: { Authorization: 'Bearer t' },
          },
        }),
      )
      .then([
        webhookCreated(),
        settingsChanged({
          rateLimitPerSecond: { from: null, to: 10 },
          headers: { from: {}, to: { authorization: 'Bearer t' } },
        }),
      ]);
  });

  it('given no webhook, when created with the default settings, then only WebhookCreated', () => {
    given([])
      .when(createWebhook({ deliverySettings: { retryPolicy: null, headers: {} } }))
      .then([webhookCreated()]);
  });

  it('given a webhook, when its settings change, then DeliverySettingsChanged carries from and to of each changed one', () => {
    given([
      webhookCreated(),
      settingsChanged({
        retryPolicy: { from: null, to: { retryIntervalsSeconds: [5], jitter: 0 } },
      }),
    ])
      .when(update({ retryPolicy: null, rateLimitPerSecond: 3 }))
      .then([
        settingsChanged({
          retryPolicy: { from: { retryIntervalsSeconds: [5], jitter: 0 }, to: null },
          rateLimitPerSecond: { from: null, to: 3 },
        }),
      ]);
  });

  it('given a webhook, when fields and settings change together, then both events, fields first', () => {
    given([webhookCreated()])
      .when(update({ rateLimitPerSecond: 2 }, { name: 'Renamed' }))
      .then([
        {
          type: 'WebhookUpdated',
          data: { id, changes: { name: { from: 'CRM Sync', to: 'Renamed' } } },
        },
        settingsChanged({ rateLimitPerSecond: { from: null, to: 2 } }),
      ]);
  });

  it('given settings, when the same ones are submitted (headers in another order and case), then nothing happens', () => {
    given([
      webhookCreated(),
      settingsChanged({
        headers: { from: {}, to: { a: '1', b: '2' } },
        rateLimitPerSecond: { from: null, to: 4 },
      }),
    ])
      .when(update({ headers: { B: '2', A: '1' }, rateLimitPerSecond: 4 }))
      .then([]);
  });

  it('given bad fields and bad settings, then one error lists the violations of both', () => {
    const error = given([webhookCreated()])
      .when(update({ rateLimitPerSecond: 0 }, { name: ' ' }))
      .then(WebhookValidationError);
    expect(error.fields.map((violation) => violation.field)).toEqual([
      'name',
      'rateLimitPerSecond',
    ]);
  });
});

describe('evolve DeliverySettingsChanged', () => {
  it('starts from the defaults and takes each changed setting', () => {
    const events: WebhookEvent[] = [
      webhookCreated(),
      settingsChanged({
        rateLimitPerSecond: { from: null, to: 7 },
        headers: { from: {}, to: { a: '1' } },
      }),
      settingsChanged({ rateLimitPerSecond: { from: 7, to: null } }),
    ];
    const created = evolve(initialState, events[0]);
    expect(created).toMatchObject({
      deliverySettings: { retryPolicy: null, rateLimitPerSecond: null, headers: {} },
    });
    expect(events.reduce(evolve, initialState)).toMatchObject({
      deliverySettings: { retryPolicy: null, rateLimitPerSecond: null, headers: { a: '1' } },
      version: 3,
    });
  });

  it('persists DeliverySettingsChanged under its name at schema version 1', () => {
    expect(WEBHOOK_EVENT_SCHEMA_VERSIONS.DeliverySettingsChanged).toBe(1);
  });
});
