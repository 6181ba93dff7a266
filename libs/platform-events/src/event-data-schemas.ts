import type { EventType } from '@app/webhooks';

/**
 * The JSON Schema (2020-12) of every event type's `data`, with a description and a realistic example:
 * the one source for ingest validation, `GET /event-types`, the OpenAPI `webhooks` entries and
 * docs/payloads.md (`npm run docs:payloads`).
 *
 * Design (see docs/payloads.md):
 * - Each type's `data` carries the subject under its noun (`license`, `activation`, `product`,
 *   `contract`) as a snapshot after the change, so a receiver needs no call back; deletions carry only
 *   the identifiers and `deletedAt`. Updates add `changes`: per changed field, `{from, to}`.
 * - Identifiers are opaque non-empty strings (`lic_…`, `prd_…`, `cus_…`, `act_…`, `ctr_…`); times are
 *   RFC 3339 date-times (`format: date-time`); `validUntil`/`endsAt` are `null` for "never".
 * - Closed sets (a license's status, a contract's billing period, a flag's severity) are enums; open sets
 *   that grow with the platform (failure codes, flag kinds, metric names) are strings, their known values
 *   listed in the description, so a new value does not dead-letter events.
 * - Nothing forbids extra properties: producers add fields without breaking receivers or ingest.
 */
export type JsonSchema = Record<string, unknown>;

export interface EventDataSchema {
  description: string;
  schema: JsonSchema;
  example: Record<string, unknown>;
}

/** `webhook.test`, sent by `POST /webhooks/:id/test`, is described along with the catalogue. */
export type DescribedEventType = EventType | 'webhook.test';

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

const id = (prefix: string, description: string) => ({
  type: 'string',
  minLength: 1,
  maxLength: 200,
  description: `${description} (opaque, e.g. \`${prefix}_…\`).`,
});
const time = (description: string) => ({ type: 'string', format: 'date-time', description });
const nullableTime = (description: string) => ({
  type: ['string', 'null'],
  format: 'date-time',
  description,
});
const text = (description: string) => ({ type: 'string', minLength: 1, description });

const actor = {
  type: 'object',
  description: 'Who made the change, when a person or key did.',
  required: ['type', 'id'],
  properties: {
    type: { enum: ['user', 'api_key', 'system'], description: 'The kind of actor.' },
    id: text('The user, API key or system component id.'),
    email: { type: 'string', format: 'email', description: 'The user\u2019s email, for users.' },
  },
};

const seats = {
  type: 'object',
  description: 'Seats on the license: how many may be active at once, and how many are.',
  required: ['total', 'used'],
  properties: {
    total: { type: 'integer', minimum: 1, description: 'Seats granted.' },
    used: { type: 'integer', minimum: 0, description: 'Seats in use (active activations).' },
  },
};

const license = {
  type: 'object',
  description: 'The license after the change.',
  required: ['id', 'key', 'productId', 'customerId', 'status', 'seats', 'validFrom', 'validUntil'],
  properties: {
    id: id('lic', 'The license id'),
    key: text('The license key as the customer enters it, e.g. `LMP-7F3K-9QX2-M4TD-8HJW`.'),
    productId: id('prd', 'The licensed product'),
    customerId: id('cus', 'The customer account that owns the license'),
    contractId: {
      ...id('ctr', 'The contract the license was issued under'),
      type: ['string', 'null'],
    },
    status: {
      enum: ['inactive', 'active', 'suspended', 'expired', 'revoked'],
      description: 'The license state.',
    },
    seats,
    validFrom: time('From when the license is valid.'),
    validUntil: nullableTime('Until when the license is valid; `null` for a perpetual license.'),
    features: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'Feature entitlements enabled by the license.',
    },
  },
};

const machine = {
  type: 'object',
  description: 'The machine an activation binds a seat to.',
  required: ['fingerprint'],
  properties: {
    fingerprint: {
      type: 'string',
      minLength: 8,
      maxLength: 512,
      description: 'The machine fingerprint the client computed (a stable hash of hardware ids).',
    },
    hostname: text('The machine\u2019s host name, as reported.'),
    platform: text(
      'Operating system and architecture, e.g. `linux-x64`, `windows-x64`, `darwin-arm64`.',
    ),
    ipAddress: text('The address the activation came from, as the platform saw it.'),
  },
};

const activation = {
  type: 'object',
  description: 'The activation: one license seat bound to one machine.',
  required: ['id', 'licenseId', 'licenseKey', 'productId', 'machine', 'activatedAt'],
  properties: {
    id: id('act', 'The activation id'),
    licenseId: id('lic', 'The license activated'),
    licenseKey: text('The license key used.'),
    productId: id('prd', 'The product'),
    machine,
    activatedAt: time('When the seat was bound.'),
    clientVersion: text('The version of the licensed application that activated, e.g. `4.2.1`.'),
  },
};

const product = {
  type: 'object',
  description: 'The product after the change.',
  required: ['id', 'name', 'sku', 'licenseModel'],
  properties: {
    id: id('prd', 'The product id'),
    name: text('The product\u2019s display name.'),
    sku: text('The stock-keeping unit.'),
    version: text('The current release, e.g. `2026.4`.'),
    licenseModel: {
      enum: ['perpetual', 'subscription', 'trial', 'floating', 'node_locked'],
      description: 'How licenses of this product are granted.',
    },
    defaultSeats: { type: 'integer', minimum: 1, description: 'Seats a new license gets.' },
  },
};

const money = {
  type: 'object',
  description: 'An amount of money: a decimal string (no float rounding) and an ISO 4217 currency.',
  required: ['amount', 'currency'],
  properties: {
    amount: { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?$', description: 'e.g. `12000.00`.' },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'e.g. `EUR`.' },
  },
};

const contract = {
  type: 'object',
  description: 'The contract after the change.',
  required: ['id', 'customerId', 'status', 'startsAt', 'endsAt', 'terms'],
  properties: {
    id: id('ctr', 'The contract id'),
    customerId: id('cus', 'The customer account the contract is with'),
    reference: text('The contract number on paper, e.g. `C-2026-0042`.'),
    status: { enum: ['draft', 'active', 'suspended', 'ended'], description: 'The contract state.' },
    startsAt: time('When the terms start.'),
    endsAt: nullableTime('When the terms end; `null` for open-ended.'),
    terms: {
      type: 'object',
      description: 'The commercial terms.',
      required: ['seats', 'billingPeriod', 'autoRenew'],
      properties: {
        seats: { type: 'integer', minimum: 1, description: 'Seats contracted, over all licenses.' },
        billingPeriod: {
          enum: ['monthly', 'quarterly', 'annual', 'one_time'],
          description: 'How often the contract is billed.',
        },
        autoRenew: { type: 'boolean', description: 'Whether it renews at `endsAt`.' },
        value: money,
        productIds: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'The products the contract covers.',
        },
      },
    },
  },
};

const changes = {
  type: 'object',
  description:
    'What changed: per changed field (a dotted path into the subject), its value before and after.',
  minProperties: 1,
  additionalProperties: {
    type: 'object',
    required: ['from', 'to'],
    properties: { from: {}, to: {} },
  },
};

const reading = {
  type: 'object',
  required: ['metric', 'value'],
  properties: {
    metric: text(
      'The metric, e.g. `active_users`, `cpu_cores`, `feature.export.calls`, `app_version`.',
    ),
    value: { type: ['number', 'string', 'boolean'], description: 'The reading.' },
    unit: text('The unit, e.g. `count`, `seconds`, `bytes`.'),
    at: time('When the client took the reading (its clock).'),
  },
};

/** The paused webhook, as `webhook.paused` names it. */
const pausedWebhook = {
  type: 'object',
  description: 'The webhook that was paused.',
  required: ['id', 'name', 'url', 'environment'],
  properties: {
    id: text('The webhook id.'),
    name: text('Its name.'),
    url: { type: 'string', format: 'uri', description: 'Its endpoint.' },
    environment: {
      enum: ['production', 'staging', 'development'],
      description: 'The environment it listens to (the event\u2019s environment too).',
    },
  },
};

const schema = (
  type: DescribedEventType,
  required: string[],
  properties: Record<string, unknown>,
): JsonSchema => ({
  $schema: DIALECT,
  $id: `urn:lmp:webhooks:event-data:${type}`,
  title: `${type} data`,
  type: 'object',
  required,
  properties,
});

const customer = 'cus_01J9ZK4T8W3B5N7Q2RXH6M0C1D';
const productId = 'prd_01J9ZK0V2F7A1C6E3G9JBQ4S8T';
const licenseExample = {
  id: 'lic_01JA2B3C4D5E6F7G8H9J0KMNPQ',
  key: 'LMP-7F3K-9QX2-M4TD-8HJW',
  productId,
  customerId: customer,
  contractId: 'ctr_01J9ZJX3P5R7T9V1X3Z5B7D9F1',
  status: 'active',
  seats: { total: 25, used: 3 },
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: '2026-12-31T23:59:59Z',
  features: ['export', 'sso'],
};
const machineExample = {
  fingerprint: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  hostname: 'build-agent-07',
  platform: 'linux-x64',
  ipAddress: '203.0.113.24',
};
const activationExample = {
  id: 'act_01JA3D5F7H9K1M3P5R7T9V1X3Z',
  licenseId: licenseExample.id,
  licenseKey: licenseExample.key,
  productId,
  machine: machineExample,
  activatedAt: '2026-11-27T10:15:02Z',
  clientVersion: '4.2.1',
};
const productExample = {
  id: productId,
  name: 'Acme CAD Studio',
  sku: 'ACME-CAD-PRO',
  version: '2026.4',
  licenseModel: 'subscription',
  defaultSeats: 5,
};
const contractExample = {
  id: 'ctr_01J9ZJX3P5R7T9V1X3Z5B7D9F1',
  customerId: customer,
  reference: 'C-2026-0042',
  status: 'active',
  startsAt: '2026-01-01T00:00:00Z',
  endsAt: '2026-12-31T23:59:59Z',
  terms: {
    seats: 50,
    billingPeriod: 'annual',
    autoRenew: true,
    value: { amount: '12000.00', currency: 'EUR' },
    productIds: [productId],
  },
};
const adminActor = { type: 'user', id: 'usr_01J9Y8X7W6V5', email: 'ops@acme.example' };

export const EVENT_DATA_SCHEMAS: Readonly<Record<DescribedEventType, EventDataSchema>> = {
  'license.created': {
    description: 'A license was issued.',
    schema: schema('license.created', ['license'], { license, actor }),
    example: {
      license: { ...licenseExample, status: 'inactive', seats: { total: 25, used: 0 } },
      actor: adminActor,
    },
  },
  'license.updated': {
    description: 'A license\u2019s seats, validity, features or contract changed.',
    schema: schema('license.updated', ['license', 'changes'], { license, changes, actor }),
    example: {
      license: licenseExample,
      changes: { 'seats.total': { from: 10, to: 25 } },
      actor: adminActor,
    },
  },
  'license.deleted': {
    description: 'A license was deleted; only its identifiers remain.',
    schema: schema(
      'license.deleted',
      ['licenseId', 'licenseKey', 'productId', 'customerId', 'deletedAt'],
      {
        licenseId: id('lic', 'The license id'),
        licenseKey: text('The license key.'),
        productId: id('prd', 'The product'),
        customerId: id('cus', 'The customer account'),
        deletedAt: time('When it was deleted.'),
        actor,
      },
    ),
    example: {
      licenseId: licenseExample.id,
      licenseKey: licenseExample.key,
      productId,
      customerId: customer,
      deletedAt: '2026-11-27T10:00:00Z',
      actor: adminActor,
    },
  },
  'license.assigned': {
    description: 'A license was assigned to a user of the customer account (e.g. to update a CRM).',
    schema: schema('license.assigned', ['license', 'assignee'], {
      license,
      assignee: {
        type: 'object',
        description: 'Who the license is assigned to now.',
        required: ['userId', 'email'],
        properties: {
          userId: id('usr', 'The user'),
          email: { type: 'string', format: 'email', description: 'The user\u2019s email.' },
          name: text('The user\u2019s name.'),
        },
      },
      previousAssignee: {
        type: ['object', 'null'],
        description: 'Who had it before; `null` when it was unassigned.',
        required: ['userId'],
        properties: { userId: id('usr', 'The user'), email: { type: 'string', format: 'email' } },
      },
      actor,
    }),
    example: {
      license: licenseExample,
      assignee: {
        userId: 'usr_01JA4G6J8L0N',
        email: 'dana.kim@customer.example',
        name: 'Dana Kim',
      },
      previousAssignee: null,
      actor: adminActor,
    },
  },
  'license.activated': {
    description: 'A license became active: its first seat was bound to a machine.',
    schema: schema('license.activated', ['license', 'activation'], { license, activation }),
    example: {
      license: { ...licenseExample, seats: { total: 25, used: 1 } },
      activation: activationExample,
    },
  },
  'license.deactivated': {
    description: 'A license\u2019s last seat was released: no machine uses it now.',
    schema: schema('license.deactivated', ['license', 'reason'], {
      license,
      reason: text('Why, e.g. `released_by_user`, `released_by_admin`, `machine_retired`.'),
      activationId: id('act', 'The activation released last'),
    }),
    example: {
      license: { ...licenseExample, status: 'inactive', seats: { total: 25, used: 0 } },
      reason: 'released_by_user',
      activationId: activationExample.id,
    },
  },
  'license.suspended': {
    description: 'A license was suspended: activations and validations are refused until resumed.',
    schema: schema('license.suspended', ['license', 'reason', 'suspendedAt'], {
      license,
      reason: text('Why, e.g. `payment_overdue`, `fraud_investigation`, `contract_suspended`.'),
      suspendedAt: time('When it was suspended.'),
      suspendedUntil: nullableTime('When it resumes by itself; `null` until someone resumes it.'),
      actor,
    }),
    example: {
      license: { ...licenseExample, status: 'suspended' },
      reason: 'payment_overdue',
      suspendedAt: '2026-11-27T10:00:00Z',
      suspendedUntil: null,
      actor: { type: 'system', id: 'billing' },
    },
  },
  'license.expired': {
    description: 'A license reached its `validUntil`.',
    schema: schema('license.expired', ['license', 'expiredAt'], {
      license,
      expiredAt: time('When it expired (its `validUntil`).'),
    }),
    example: {
      license: { ...licenseExample, status: 'expired' },
      expiredAt: '2026-12-31T23:59:59Z',
    },
  },
  'license.revoked': {
    description: 'A license was revoked for good: it can never be activated again.',
    schema: schema('license.revoked', ['license', 'reason', 'revokedAt'], {
      license,
      reason: text('Why, e.g. `refund`, `key_leaked`, `terms_violation`.'),
      revokedAt: time('When it was revoked.'),
      actor,
    }),
    example: {
      license: { ...licenseExample, status: 'revoked' },
      reason: 'key_leaked',
      revokedAt: '2026-11-27T10:00:00Z',
      actor: adminActor,
    },
  },
  'activation.created': {
    description: 'A seat of a license was bound to a machine.',
    schema: schema('activation.created', ['activation', 'seats'], { activation, seats }),
    example: { activation: activationExample, seats: { total: 25, used: 4 } },
  },
  'activation.deleted': {
    description: 'An activation was removed and its seat released.',
    schema: schema(
      'activation.deleted',
      ['activationId', 'licenseId', 'machine', 'deletedAt', 'seats'],
      {
        activationId: id('act', 'The activation'),
        licenseId: id('lic', 'The license'),
        machine,
        deletedAt: time('When the seat was released.'),
        reason: text('Why, e.g. `released_by_user`, `released_by_admin`, `stale`.'),
        seats,
      },
    ),
    example: {
      activationId: activationExample.id,
      licenseId: licenseExample.id,
      machine: { fingerprint: machineExample.fingerprint, hostname: machineExample.hostname },
      deletedAt: '2026-11-27T18:40:00Z',
      reason: 'released_by_user',
      seats: { total: 25, used: 3 },
    },
  },
  'activation.failed': {
    description: 'An activation attempt was refused (e.g. for a Slack alert).',
    schema: schema('activation.failed', ['licenseKey', 'machine', 'failure', 'attemptedAt'], {
      licenseKey: text('The license key the client sent.'),
      licenseId: {
        ...id('lic', 'The license, when the key matched one'),
        type: ['string', 'null'],
      },
      productId: id('prd', 'The product the client claimed'),
      machine,
      failure: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: text(
            'Why, e.g. `license_not_found`, `license_expired`, `license_suspended`, `license_revoked`, ' +
              '`seat_limit_reached`, `fingerprint_mismatch`, `product_mismatch`.',
          ),
          message: text('A human-readable explanation.'),
        },
      },
      attemptedAt: time('When the attempt was made.'),
    }),
    example: {
      licenseKey: licenseExample.key,
      licenseId: licenseExample.id,
      productId,
      machine: machineExample,
      failure: { code: 'seat_limit_reached', message: 'All 25 seats are in use.' },
      attemptedAt: '2026-11-27T10:15:02Z',
    },
  },
  'product.created': {
    description: 'A product was added to the catalogue.',
    schema: schema('product.created', ['product'], { product, actor }),
    example: { product: productExample, actor: adminActor },
  },
  'product.updated': {
    description: 'A product changed.',
    schema: schema('product.updated', ['product', 'changes'], { product, changes, actor }),
    example: {
      product: productExample,
      changes: { version: { from: '2026.3', to: '2026.4' } },
      actor: adminActor,
    },
  },
  'product.deleted': {
    description: 'A product was removed from the catalogue.',
    schema: schema('product.deleted', ['productId', 'deletedAt'], {
      productId: id('prd', 'The product'),
      sku: text('Its SKU.'),
      deletedAt: time('When it was deleted.'),
      actor,
    }),
    example: {
      productId,
      sku: 'ACME-CAD-PRO',
      deletedAt: '2026-11-27T10:00:00Z',
      actor: adminActor,
    },
  },
  'contract.created': {
    description: 'A contract was signed (e.g. to provision servers).',
    schema: schema('contract.created', ['contract'], { contract, actor }),
    example: { contract: contractExample, actor: adminActor },
  },
  'contract.updated': {
    description: 'A contract\u2019s terms or dates changed.',
    schema: schema('contract.updated', ['contract', 'changes'], { contract, changes, actor }),
    example: {
      contract: contractExample,
      changes: { 'terms.seats': { from: 40, to: 50 } },
      actor: adminActor,
    },
  },
  'contract.deleted': {
    description: 'A contract was deleted.',
    schema: schema('contract.deleted', ['contractId', 'customerId', 'deletedAt'], {
      contractId: id('ctr', 'The contract'),
      customerId: id('cus', 'The customer account'),
      deletedAt: time('When it was deleted.'),
      actor,
    }),
    example: {
      contractId: contractExample.id,
      customerId: customer,
      deletedAt: '2026-11-27T10:00:00Z',
      actor: adminActor,
    },
  },
  'contract.suspended': {
    description: 'A contract was suspended; its licenses are usually suspended with it.',
    schema: schema('contract.suspended', ['contract', 'reason', 'suspendedAt'], {
      contract,
      reason: text('Why, e.g. `payment_overdue`, `dispute`.'),
      suspendedAt: time('When it was suspended.'),
      licenseIds: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'The licenses suspended with it.',
      },
      actor,
    }),
    example: {
      contract: { ...contractExample, status: 'suspended' },
      reason: 'payment_overdue',
      suspendedAt: '2026-11-27T10:00:00Z',
      licenseIds: [licenseExample.id],
      actor: { type: 'system', id: 'billing' },
    },
  },
  'telemetry.received': {
    description: 'A licensed client reported usage readings (e.g. to stream to a data warehouse).',
    schema: schema(
      'telemetry.received',
      ['licenseId', 'productId', 'machine', 'receivedAt', 'readings'],
      {
        licenseId: id('lic', 'The license the client runs under'),
        productId: id('prd', 'The product'),
        activationId: id('act', 'The activation'),
        machine,
        receivedAt: time('When the platform received the report.'),
        readings: { type: 'array', minItems: 1, items: reading, description: 'The readings.' },
      },
    ),
    example: {
      licenseId: licenseExample.id,
      productId,
      activationId: activationExample.id,
      machine: { fingerprint: machineExample.fingerprint },
      receivedAt: '2026-11-27T11:00:00Z',
      readings: [
        { metric: 'active_users', value: 18, unit: 'count', at: '2026-11-27T10:59:58Z' },
        { metric: 'app_version', value: '4.2.1' },
      ],
    },
  },
  'telemetry.flagged': {
    description: 'Telemetry tripped a rule (e.g. to start a fraud investigation).',
    schema: schema('telemetry.flagged', ['licenseId', 'productId', 'flag', 'flaggedAt'], {
      licenseId: id('lic', 'The license'),
      productId: id('prd', 'The product'),
      machine,
      flag: {
        type: 'object',
        required: ['id', 'kind', 'severity', 'message'],
        properties: {
          id: id('flg', 'The flag'),
          kind: text(
            'The rule, e.g. `seat_overuse`, `fingerprint_change`, `clock_tampering`, `geo_anomaly`, ' +
              '`usage_spike`.',
          ),
          severity: { enum: ['low', 'medium', 'high', 'critical'], description: 'How bad it is.' },
          message: text('A human-readable explanation.'),
        },
      },
      readings: { type: 'array', items: reading, description: 'The readings that tripped it.' },
      flaggedAt: time('When it was flagged.'),
    }),
    example: {
      licenseId: licenseExample.id,
      productId,
      machine: { fingerprint: machineExample.fingerprint, ipAddress: '198.51.100.7' },
      flag: {
        id: 'flg_01JA5H7K9M1P',
        kind: 'seat_overuse',
        severity: 'high',
        message: '31 concurrent users on a 25-seat license.',
      },
      readings: [{ metric: 'active_users', value: 31, unit: 'count' }],
      flaggedAt: '2026-11-27T11:00:05Z',
    },
  },
  'webhook.paused': {
    description:
      'Operational: the webhooks service paused a webhook on its own (its endpoint answered 410 Gone, ' +
      'or every attempt failed for `DELIVERY_DISABLE_AFTER_HOURS`). Sent to the active webhooks of the ' +
      'paused one\u2019s environment subscribed to it (never to the paused one), e.g. to alert a team; ' +
      'an admin resumes it by activating it again.',
    schema: schema('webhook.paused', ['webhook', 'kind', 'reason', 'pausedAt'], {
      webhook: pausedWebhook,
      kind: text(
        'Which rule paused it: `gone` (the endpoint answered 410 Gone) or `failing` (every attempt ' +
          'failed for `DELIVERY_DISABLE_AFTER_HOURS`); more may come.',
      ),
      reason: text('Why, in words, as the webhook\u2019s history records it.'),
      pausedAt: time('When it was paused.'),
    }),
    example: {
      webhook: {
        id: '7d9e4c1a-2b3f-4e5d-8a6b-9c0d1e2f3a4b',
        name: 'CRM sync',
        url: 'https://crm.acme.example/hooks/licenses',
        environment: 'production',
      },
      kind: 'gone',
      reason: 'the endpoint answered 410 Gone',
      pausedAt: '2026-11-27T11:04:12.481Z',
    },
  },
  'delivery.failed': {
    description:
      'Operational: a delivery failed for good, every attempt of the retry policy having failed. Sent to ' +
      'the active webhooks of the delivery\u2019s environment subscribed to it. Never sent about a ' +
      'delivery of a `delivery.failed` event, so a failing alert endpoint cannot start a chain.',
    schema: schema('delivery.failed', ['delivery', 'webhook', 'event', 'failedAt'], {
      delivery: {
        type: 'object',
        description: 'The delivery that failed.',
        required: ['id', 'attempts', 'lastResponseStatus', 'lastError'],
        properties: {
          id: text('The delivery id, as `GET /deliveries/:id` takes it.'),
          attempts: { type: 'integer', minimum: 1, description: 'Attempts made.' },
          lastResponseStatus: {
            type: ['integer', 'null'],
            minimum: 100,
            maximum: 599,
            description: 'The HTTP status of the last attempt; `null` when no response arrived.',
          },
          lastError: {
            type: ['string', 'null'],
            description:
              'Why the last attempt failed, in words (e.g. a timeout); `null` if unknown.',
          },
        },
      },
      webhook: {
        type: 'object',
        description: 'The webhook it was for.',
        required: ['id', 'name', 'url'],
        properties: {
          id: text('The webhook id.'),
          name: text('Its name.'),
          url: {
            type: 'string',
            format: 'uri',
            description: 'The endpoint the last attempt went to.',
          },
        },
      },
      event: {
        type: 'object',
        description:
          'The event that was not delivered (`GET /deliveries?eventId=` finds its deliveries).',
        required: ['id', 'type'],
        properties: {
          id: text('The event id.'),
          type: text('The event type.'),
        },
      },
      failedAt: time('When the last attempt was made.'),
    }),
    example: {
      delivery: {
        id: 'dlv_q3X9vT2mK8pL4nR7sW1yZA',
        attempts: 8,
        lastResponseStatus: 503,
        lastError: 'HTTP 503 Service Unavailable',
      },
      webhook: {
        id: '7d9e4c1a-2b3f-4e5d-8a6b-9c0d1e2f3a4b',
        name: 'CRM sync',
        url: 'https://crm.acme.example/hooks/licenses',
      },
      event: { id: 'evt_01JA5H9Q2W7E4R1T', type: 'license.created' },
      failedAt: '2026-11-27T19:32:40.117Z',
    },
  },
  'webhook.test': {
    description:
      'Sent by `POST /webhooks/:id/test` to the one webhook under test; nobody subscribes.',
    schema: schema('webhook.test', ['webhookId', 'message'], {
      webhookId: text('The webhook tested.'),
      message: text('A fixed sentence saying the endpoint is reachable.'),
    }),
    example: {
      webhookId: '3f1c2b9e-8a47-4d1e-9b0a-6c2d5e7f8a90',
      message: 'A test event from the License Management Platform: your endpoint is reachable.',
    },
  },
};
