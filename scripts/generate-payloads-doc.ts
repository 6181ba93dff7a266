/**
 * Writes docs/payloads.md from EVENT_DATA_SCHEMAS (libs/platform-events), the one source of the event
 * payloads:
 *
 *   npm run docs:payloads
 *
 * The page is formatted with the repository's Prettier settings, so `prettier --check` passes on it.
 * scripts/generate-payloads-doc.spec.ts fails when the committed page differs from what this writes.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_DATA_SCHEMAS, type EventDataSchema } from '@app/platform-events';
import { EVENT_CATALOGUE } from '@app/webhooks';

const REPO_ROOT = join(__dirname, '..');
export const PAYLOADS_DOC = join(REPO_ROOT, 'docs', 'payloads.md');
export const REGENERATE = 'npm run docs:payloads';

type Schema = Record<string, unknown>;

function typeOf(schema: Schema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  const types = Array.isArray(schema.type)
    ? (schema.type as string[])
    : [typeof schema.type === 'string' ? schema.type : 'any'];
  const named = types.map((type) => {
    if (type === 'array') return `array of ${typeOf((schema.items as Schema) ?? {})}`;
    if (type === 'string' && typeof schema.format === 'string') return `string (${schema.format})`;
    return type;
  });
  return named.join(' \\| ');
}

function constraints(schema: Schema): string {
  const rules: string[] = [];
  if (typeof schema.minimum === 'number') rules.push(`≥ ${schema.minimum}`);
  if (typeof schema.minLength === 'number' && schema.minLength > 1) {
    rules.push(`at least ${schema.minLength} characters`);
  }
  if (typeof schema.pattern === 'string') rules.push(`matches \`${schema.pattern}\``);
  if (typeof schema.minItems === 'number') rules.push(`at least ${schema.minItems} item`);
  if (typeof schema.minProperties === 'number')
    rules.push(`at least ${schema.minProperties} entry`);
  return rules.length > 0 ? ` (${rules.join(', ')})` : '';
}

const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** One row per property, nested ones by dotted path (`[]` for array items). */
function rows(schema: Schema, prefix = ''): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).flatMap(([name, property]) => {
    const path = `${prefix}${name}`;
    const description = typeof property.description === 'string' ? property.description : '';
    const row = `| \`${path}\` | ${typeOf(property)} | ${required.has(name) ? 'yes' : 'no'} | ${cell(description)}${constraints(property)} |`;
    const items = property.items as Schema | undefined;
    const nested = property.properties
      ? rows(property, `${path}.`)
      : items?.properties
        ? rows(items, `${path}[].`)
        : [];
    return [row, ...nested];
  });
}

const json = (value: unknown) => ['```json', JSON.stringify(value, null, 2), '```'].join('\n');

function section(type: string, { description, schema, example }: EventDataSchema): string {
  return [
    `### \`${type}\``,
    description,
    ['| field | type | required | meaning |', '| --- | --- | --- | --- |', ...rows(schema)].join(
      '\n',
    ),
    'Example `data`:',
    json(example),
    `<details><summary>JSON Schema of <code>${type}</code> data</summary>`,
    json(schema),
    '</details>',
  ].join('\n\n');
}

/** The page as Markdown, before formatting. */
export function renderPayloadsMarkdown(): string {
  const groups = [
    ...EVENT_CATALOGUE.map(({ group, eventTypes }) => ({ group, eventTypes: [...eventTypes] })),
    { group: 'Test', eventTypes: ['webhook.test'] },
  ];
  const schemas = EVENT_DATA_SCHEMAS as Record<string, EventDataSchema>;
  const envelope = {
    id: 'evt_01JA6K8M0P2R4T6V8X0Z2B4D6F',
    type: 'license.activated',
    environment: 'production',
    occurredAt: '2026-11-27T10:15:02.120Z',
    data: EVENT_DATA_SCHEMAS['license.activated'].example,
  };
  return [
    '# Webhook payloads',
    `<!-- Generated from libs/platform-events/src/event-data-schemas.ts by \`${REGENERATE}\`: do not edit by hand. -->`,
    'Every webhook request body is the platform event as received: `{"id", "type", "environment", ' +
      '"occurredAt", "data"}` (see [receiving webhooks](receiving-webhooks.md) for the headers and ' +
      'signatures). This page describes `data` for every event type: its fields, an example, and ' +
      'its JSON Schema (2020-12). The same schemas and examples are served by ' +
      '`GET /api/v1/event-types` and `GET /api/v1/event-types/:type` ([API](api.md)), and the ' +
      'worker checks every incoming event against them (`PLATFORM_EVENT_VALIDATION`, see ' +
      '[event contract](event-contract.md)).',
    'A whole body, for `license.activated`:',
    json(envelope),
    '## Design',
    [
      '- **The subject, whole.** An event carries its subject after the change under its noun ' +
        '(`license`, `activation`, `product`, `contract`), so a receiver does not have to call back. ' +
        'Deletions carry only the identifiers and `deletedAt`; updates add `changes`, per changed ' +
        'field (a dotted path such as `seats.total`) its `from` and `to`.',
      '- **Identifiers** are opaque non-empty strings with a kind prefix: `lic_` license, `prd_` ' +
        'product, `cus_` customer account, `act_` activation, `ctr_` contract, `usr_` user, `flg_` ' +
        'flag. The license **key** (`license.key`, what a customer types) is not its id.',
      '- **Seats** are `{total, used}`; **validity** is `validFrom` and `validUntil` (`null`: ' +
        'perpetual); a **machine** is identified by its `fingerprint`, with host name, platform and ' +
        'address when known; **contract terms** are seats, billing period, renewal and value ' +
        '(money as a decimal string and an ISO 4217 currency, never a float).',
      '- **Times** are RFC 3339 date-times in UTC.',
      '- **Closed sets are enums** (a license status, a contract status, a billing period, a flag ' +
        'severity, a product license model). **Open sets are strings** whose known values are ' +
        'listed (failure codes, flag kinds, reasons, metric names): the platform adds values without ' +
        'a schema change, so handle unknown ones.',
      '- **Additive changes are not breaking.** No schema forbids extra properties: new fields may ' +
        'appear at any level at any time, and ingest lets them through. Ignore what you do not know. ' +
        'Removing or retyping a field is a breaking change and gets a new event type.',
      '- `actor` (who did it: a `user`, an `api_key` or the `system`) is present when known.',
      '- **Operational events** (`webhook.paused`, `delivery.failed`) come from the webhooks ' +
        'service itself, not from a platform service, and are delivered like the others. Their ids ' +
        'are derived from the fact (`evt_paused_<webhook id>_<version>`, `evt_failed_<delivery id>`), ' +
        'so one pause or failure is one event, and `delivery.failed` is never sent about a delivery ' +
        'of a `delivery.failed` event (see [event contract](event-contract.md#operational-events)).',
    ].join('\n'),
    ...groups.flatMap(({ group, eventTypes }) => [
      `## ${group}`,
      ...eventTypes.map((type) => section(type, schemas[type])),
    ]),
  ].join('\n\n');
}

/** The page as committed: the Markdown through the repository's Prettier (its CLI, its config). */
export function renderPayloadsDoc(): string {
  const prettier = join(REPO_ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  const result = spawnSync(process.execPath, [prettier, '--stdin-filepath', PAYLOADS_DOC], {
    cwd: REPO_ROOT,
    input: renderPayloadsMarkdown(),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`prettier failed: ${result.stderr}`);
  return result.stdout;
}

if (require.main === module) {
  writeFileSync(PAYLOADS_DOC, renderPayloadsDoc());
  console.log(`wrote ${PAYLOADS_DOC}`);
}
