import type { INestApplication } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import {
  documentIdempotencyKey,
  IS_PUBLIC_KEY,
  PROBLEM_TYPE_BASE,
  REQUIRED_ROLE_KEY,
  ROLES,
  type Role,
} from '@app/platform';
import { EVENT_DATA_SCHEMAS } from '@app/platform-events';

/**
 * The OpenAPI document of the api, as served at /api/docs/openapi.json and committed as
 * apps/admin/src/api/openapi.json (the admin page's wire types are generated from it:
 * `npm run api:types`). @nestjs/swagger 11 scans the controllers and their @Api* decorators; its
 * `setOpenAPIVersion` only changes the version string, and its schemas still use 3.0's `nullable`,
 * so the result is post-processed here:
 *
 * - 3.1: `nullable: true` becomes a type array (`["string", "null"]`) or `anyOf [..., {type: null}]`
 *   around a `$ref` / `allOf` (toOpenApi31);
 * - each operation's role, from the handler's (or its controller's) @RequireRole / @Public
 *   metadata: `x-required-role` and a line of its description;
 * - the problem responses each route can give (`application/problem+json`, ProblemDetails);
 * - `If-Match` for handlers that read it (@Headers('if-match')), `ETag` on responses of versioned
 *   resources (a top-level `version`), `Location` on 201, `Idempotency-Key` on POST;
 * - `webhooks`: one entry per event type, the request the worker sends (body and headers), its
 *   `data` from EVENT_DATA_SCHEMAS.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('LMP Webhooks admin API')
    .setDescription(
      'Manage the webhooks of the License Management Platform (see docs/api.md). `webhooks` describes the requests the platform sends to receivers (see docs/receiving-webhooks.md).',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const handlers = handlersByOperationId(app);
  documentIdempotencyKey(document);
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ProblemDetails = PROBLEM_DETAILS;
  Object.assign(document.components.schemas, EVENT_TYPE_SCHEMAS);
  document.components.headers = { ...document.components.headers, ...HEADERS };
  document.components.responses = { ...document.components.responses, ...problemResponses() };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const handler = handlers.get(operation.operationId ?? '');
      documentOperation(document, path, method, operation, handler);
    }
  }
  toOpenApi31(document);
  (document as OpenAPIObject & { webhooks: Record<string, unknown> }).webhooks = webhookEntries();
  return document;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Handler {
  role: Role | 'public';
  readsIfMatch: boolean;
}

/** `<Controller>_<method>` (the scanner's default operationId) → what its metadata says. */
function handlersByOperationId(app: INestApplication): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const method = prototype[name];
        if (name === 'constructor' || typeof method !== 'function') continue;
        const isPublic = (Reflect.getMetadata(IS_PUBLIC_KEY, method) ??
          Reflect.getMetadata(IS_PUBLIC_KEY, controller)) as boolean | undefined;
        const ownRole = Reflect.getMetadata(REQUIRED_ROLE_KEY, method) as Role | undefined;
        const role: Role | 'public' =
          ownRole ??
          (Reflect.getMetadata(IS_PUBLIC_KEY, method) ? 'public' : undefined) ??
          (Reflect.getMetadata(REQUIRED_ROLE_KEY, controller) as Role | undefined) ??
          (isPublic ? 'public' : ROLES[0]);
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
          string,
          { data?: unknown }
        >;
        const readsIfMatch = Object.entries(args).some(
          ([key, arg]) =>
            key.startsWith(`${RouteParamtypes.HEADERS}:`) &&
            typeof arg.data === 'string' &&
            arg.data.toLowerCase() === 'if-match',
        );
        handlers.set(`${controller.name}_${name}`, { role, readsIfMatch });
      }
    }
  }
  return handlers;
}

function documentOperation(
  document: OpenAPIObject,
  path: string,
  method: (typeof METHODS)[number],
  operation: OperationObject,
  handler: Handler | undefined,
): void {
  const role = handler?.role ?? 'public';
  const access =
    role === 'public'
      ? 'Public: no token needed.'
      : role === ROLES[0]
        ? 'Needs a bearer token (any role).'
        : `Needs a bearer token with the role \`${role}\` or higher.`;
  (operation as OperationObject & { 'x-required-role': string })['x-required-role'] = role;
  operation.description = [operation.description, `**Access:** ${access}`]
    .filter(Boolean)
    .join('\n\n');
  if (role === 'public') operation.security = [];

  const parameters = operation.parameters ?? [];
  if (handler?.readsIfMatch) {
    operation.parameters = [
      ...parameters.filter(
        (parameter) => !('name' in parameter && parameter.name.toLowerCase() === 'if-match'),
      ),
      { $ref: '#/components/parameters/IfMatch' },
    ];
    document.components!.parameters = { ...document.components!.parameters, IfMatch: IF_MATCH };
  }

  for (const [status, response] of Object.entries(operation.responses)) {
    if (!response || !/^2\d\d$/.test(status) || '$ref' in response) continue;
    const schema = response.content?.['application/json']?.schema;
    if (schema && hasVersion(document, schema)) {
      response.headers = { ETag: { $ref: '#/components/headers/ETag' }, ...response.headers };
    }
    if (status === '201') {
      response.headers = {
        Location: { $ref: '#/components/headers/Location' },
        ...response.headers,
      };
    }
  }

  if (!path.startsWith('/api/v1/')) return;
  const problems: string[] = [];
  const validates = parameters.length > 0 || operation.requestBody !== undefined;
  if (validates || handler?.readsIfMatch) problems.push('400');
  if (role !== 'public') problems.push('401');
  if (role !== 'public' && role !== ROLES[0]) problems.push('403');
  if (path.includes('{')) problems.push('404');
  if (handler?.readsIfMatch) problems.push('412');
  if (operation.requestBody !== undefined) problems.push('413');
  problems.push('503');
  for (const status of problems) {
    operation.responses[status] = { $ref: `#/components/responses/Problem${status}` };
  }
  // documentIdempotencyKey's 409 and 422 become problem responses too.
  for (const status of ['409', '422']) {
    const given = operation.responses[status];
    if (given && !('$ref' in given)) {
      operation.responses[status] = { ...given, content: PROBLEM_CONTENT };
    }
  }
  void method;
}

function hasVersion(document: OpenAPIObject, schema: SchemaObject | ReferenceObject): boolean {
  const resolved = resolve(document, schema);
  if (resolved.properties?.version) return true;
  return (resolved.allOf ?? []).some((part) => hasVersion(document, part));
}

function resolve(document: OpenAPIObject, schema: SchemaObject | ReferenceObject): SchemaObject {
  if (!('$ref' in schema)) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const found = document.components?.schemas?.[name];
  return found ? resolve(document, found) : {};
}

const PROBLEM_CONTENT = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
};

const PROBLEM_DESCRIPTIONS: Record<string, string> = {
  '400':
    'The request is invalid (`validation-error` lists each failed constraint in `errors`), or `If-Match` is malformed.',
  '401': 'The bearer token is missing, malformed, expired or not signed by a trusted key.',
  '403': "The token's role is too low for this route.",
  '404': 'No such resource (or a deleted webhook for a write).',
  '412':
    '`If-Match` names an older version than the current one; nothing changed. The response carries the current `ETag`.',
  '413': 'The request body is too large.',
  '503':
    'The database is unavailable or the api is shutting down; try again later (after `Retry-After` when given).',
};

const PROBLEM_HEADERS: Record<string, ResponseObject['headers']> = {
  '412': { ETag: { $ref: '#/components/headers/ETag' } },
  '503': {
    'Retry-After': {
      description: 'When given: seconds to wait before trying again.',
      schema: { type: 'integer' },
    },
  },
};

function problemResponses(): Record<string, ResponseObject> {
  return Object.fromEntries(
    Object.entries(PROBLEM_DESCRIPTIONS).map(([status, description]) => [
      `Problem${status}`,
      {
        description,
        content: PROBLEM_CONTENT,
        ...(PROBLEM_HEADERS[status] ? { headers: PROBLEM_HEADERS[status] } : {}),
      },
    ]),
  );
}

const PROBLEM_DETAILS: SchemaObject = {
  type: 'object',
  description: `RFC 9457 problem details, the body of every error response. \`type\` is \`about:blank\` when the status says it all, otherwise \`${PROBLEM_TYPE_BASE}<slug>\` (e.g. \`validation-error\`, \`webhook-not-found\`, \`version-conflict\`): clients may switch on it.`,
  properties: {
    type: { type: 'string', example: `${PROBLEM_TYPE_BASE}validation-error` },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request path the problem occurred on.' },
    errors: {
      type: 'array',
      description: 'For validation errors: one entry per failed constraint.',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string', description: "Dotted property path; '' = the whole input." },
          message: { type: 'string' },
        },
        required: ['field', 'message'],
      },
    },
  },
  required: ['type', 'title', 'status'],
  additionalProperties: true,
};

/** GET /event-types[/:type] (libs/platform-events event-types.http.ts). */
const EVENT_DATA_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    description: { type: 'string' },
    schema: {
      type: 'object',
      additionalProperties: true,
      description: "The JSON Schema (2020-12) of the type's `data`.",
    },
    example: { type: 'object', additionalProperties: true, description: 'An example `data`.' },
  },
  required: ['description', 'schema', 'example'],
};

const EVENT_TYPE_SCHEMAS: Record<string, SchemaObject> = {
  EventDataSchema: EVENT_DATA_SCHEMA,
  EventTypeGroup: {
    type: 'object',
    properties: {
      group: { type: 'string', example: 'License' },
      eventTypes: { type: 'array', items: { type: 'string' } },
      schemas: {
        type: 'object',
        additionalProperties: { $ref: '#/components/schemas/EventDataSchema' },
        description: 'Per type of the group.',
      },
    },
    required: ['group', 'eventTypes', 'schemas'],
  },
  EventType: {
    allOf: [
      { $ref: '#/components/schemas/EventDataSchema' },
      {
        type: 'object',
        properties: { type: { type: 'string' }, group: { type: 'string' } },
        required: ['type', 'group'],
      },
    ],
  },
};

const HEADERS = {
  ETag: {
    description: 'The resource\'s version in quotes (`"3"`): send it back as `If-Match`.',
    schema: { type: 'string', example: '"3"' },
  },
  Location: {
    description: 'The URL of the created resource, e.g. `/api/v1/webhooks/{id}`.',
    schema: { type: 'string' },
  },
};

const IF_MATCH: ParameterObject = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'The ETag the change was based on (`"3"`, or `*` for none): 412 when the resource has moved on since.',
  schema: { type: 'string', example: '"3"' },
};

/** OpenAPI 3.0's `nullable` → 3.1 (JSON Schema 2020-12) null types, in every schema of the document. */
export function toOpenApi31(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(toOpenApi31);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  for (const value of Object.values(schema)) toOpenApi31(value);
  if (schema.nullable !== true) {
    if (schema.nullable === false) delete schema.nullable;
    return;
  }
  delete schema.nullable;
  if (schema.$ref !== undefined || schema.allOf !== undefined) {
    // A type beside a $ref/allOf would still refuse null: null is the other branch of an anyOf.
    const inner: Record<string, unknown> = {};
    for (const key of ['$ref', 'allOf', 'type']) {
      if (schema[key] !== undefined) inner[key] = schema[key];
      delete schema[key];
    }
    schema.anyOf = [inner, { type: 'null' }];
  } else if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum)) schema.enum = [...(schema.enum as unknown[]), null];
  } else if (Array.isArray(schema.enum)) {
    schema.enum = [...(schema.enum as unknown[]), null];
  }
}

/** The headers the worker sets on every attempt (libs/deliveries signing/webhook-signature.ts). */
const WEBHOOK_HEADERS: ParameterObject[] = [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description: 'The event id: the same on every retry, so receivers deduplicate on it.',
    schema: { type: 'string' },
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description: 'Unix seconds of this attempt (not of the event): reject stale ones.',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      'Space-separated signatures `v1,<base64 HMAC-SHA256>` (or `v1a,<base64 ed25519>` for the asymmetric scheme) over `<webhook-id>.<webhook-timestamp>.<raw body>`; two while a rotated-out key is in its grace window. Verify on the raw body.',
    schema: { type: 'string' },
  },
  ...['Id', 'Timestamp', 'Signature'].map((name) => ({
    name: `X-Webhook-${name}`,
    in: 'header' as const,
    required: true,
    description: `The same value as \`webhook-${name.toLowerCase()}\`.`,
    schema: { type: 'string' },
  })),
  {
    name: 'X-Webhook-Event',
    in: 'header',
    required: true,
    description: "The event type, the same as the body's `type`.",
    schema: { type: 'string' },
  },
  {
    name: 'User-Agent',
    in: 'header',
    required: true,
    description: 'The sender, e.g. `LMP-Webhooks/1.0 (+https://www.standardwebhooks.com/)`.',
    schema: { type: 'string' },
  },
];

/** One `webhooks` entry per event type: `POST <target url>` with the Standard Webhooks envelope. */
function webhookEntries(): Record<string, unknown> {
  const schemas = EVENT_DATA_SCHEMAS as Record<
    string,
    { description: string; schema: object; example: unknown }
  >;
  return Object.fromEntries(
    Object.entries(schemas).map(([type, described]) => [
      type,
      {
        post: {
          operationId: `webhook_${type.replace(/\./g, '_')}`,
          summary: `${type} event`,
          description: `${described.description}\n\nSent to each active webhook subscribed to \`${type}\` in the event's environment; answer 2xx within the timeout, or it is retried.`,
          tags: ['receiver'],
          // Receivers authenticate the platform by its signature, not by a credential.
          security: [],
          parameters: WEBHOOK_HEADERS,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    id: { type: 'string', description: 'The event id (= `webhook-id`).' },
                    type: { const: type },
                    environment: { enum: ['production', 'staging', 'development'] },
                    occurredAt: { type: 'string', format: 'date-time' },
                    data: described.schema,
                  },
                  required: ['id', 'type', 'environment', 'occurredAt', 'data'],
                },
                example: {
                  id: 'evt_01HZX3Q4M8K2N6P7R9S1T3V5W7',
                  type,
                  environment: 'production',
                  occurredAt: '2026-01-15T09:30:00.000Z',
                  data: described.example,
                },
              },
            },
          },
          responses: {
            '2XX': { description: 'Received: the delivery succeeded.' },
            '410': { description: 'Gone: the webhook is deactivated, no more retries.' },
            '429': { description: 'Too many requests: retried, after `Retry-After` if given.' },
            default: { description: 'Any other answer (or none) is retried per the retry policy.' },
          },
        },
      },
    ]),
  );
}
