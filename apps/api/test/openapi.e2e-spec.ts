import { EVENT_TYPES } from '@app/webhooks';
import { startTestApp, type TestApp } from '../../../test/support/test-app';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

interface Operation {
  'x-required-role'?: string;
  description?: string;
  security?: unknown[];
  parameters?: { $ref?: string; name?: string }[];
  responses: Record<
    string,
    {
      $ref?: string;
      headers?: Record<string, unknown>;
      content?: Record<string, { schema?: unknown }>;
    }
  >;
}

interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation & { requestBody: unknown } }>;
  components: { schemas: Record<string, unknown>; responses: Record<string, unknown> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

describe('the OpenAPI document the api serves (running api)', () => {
  let api: TestApp;
  let document: Document;
  const operations: [string, Operation][] = [];

  beforeAll(async () => {
    api = await startTestApp(ApiModule, {
      label: 'api_openapi',
      configure: configureApi,
      env: { AUTH_JWT_SECRET: 'e2e-test-signing-key-that-is-long-enough-0123456789' },
    });
    const response = await fetch(`${api.url}/api/docs/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as Document;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        if (item[method]) operations.push([`${method.toUpperCase()} ${path}`, item[method]]);
      }
    }
  });

  afterAll(() => api?.close());

  it('is OpenAPI 3.1 without 3.0 leftovers (nullable)', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(JSON.stringify(document)).not.toContain('"nullable"');
  });

  it('gives every operation a 2xx response with a schema (204 aside)', () => {
    const missing = operations.filter(([, operation]) => {
      const success = Object.entries(operation.responses).filter(([status]) => /^2/.test(status));
      return !success.some(
        ([status, response]) =>
          status === '204' || response.content?.['application/json']?.schema !== undefined,
      );
    });
    expect(missing.map(([name]) => name)).toEqual([]);
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it('lists the problem responses of every /api/v1 route as problem JSON', () => {
    for (const [name, operation] of operations) {
      if (!name.includes(' /api/v1/')) continue;
      for (const status of ['401', '503']) {
        expect([name, operation.responses[status]?.$ref]).toEqual([
          name,
          `#/components/responses/Problem${status}`,
        ]);
      }
      if (name.includes('{')) {
        expect([name, operation.responses['404']?.$ref]).toEqual([
          name,
          '#/components/responses/Problem404',
        ]);
      }
    }
    expect(document.components.responses.Problem404).toMatchObject({
      content: {
        'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
      },
    });
    const patch = document.paths['/api/v1/webhooks/{id}'].patch;
    expect(Object.keys(patch.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '412', '413', '503']),
    );
  });

  it('names the role every route needs, taken from @RequireRole', () => {
    const roles = Object.fromEntries(
      operations.map(([name, operation]) => [name, operation['x-required-role']]),
    );
    expect(Object.values(roles).filter((role) => role === undefined)).toEqual([]);
    expect(roles).toMatchObject({
      'GET /health/ready': 'public',
      'GET /api/v1/webhooks': 'auditor',
      'POST /api/v1/webhooks': 'admin',
      'GET /api/v1/webhooks/{id}/secret': 'admin',
      'PUT /api/v1/settings/retry-policy': 'owner',
      'GET /api/v1/event-types': 'viewer',
    });
    expect(document.paths['/api/v1/settings/retry-policy'].put.description).toContain(
      '`owner` or higher',
    );
  });

  it('documents Location on 201, ETag on versioned resources, If-Match where it is read', () => {
    for (const [name, operation] of operations) {
      const created = operation.responses['201'];
      if (created) expect([name, created.headers?.Location]).toEqual([name, expect.anything()]);
    }
    expect(document.paths['/api/v1/webhooks/{id}'].get.responses['200'].headers).toHaveProperty(
      'ETag',
    );
    for (const path of ['/api/v1/webhooks/{id}/activate', '/api/v1/webhooks/{id}/secret/rotate']) {
      expect(document.paths[path].post.parameters).toContainEqual({
        $ref: '#/components/parameters/IfMatch',
      });
    }
  });

  it('has a webhooks entry for each of the 24 event types, with the envelope and the signature headers', () => {
    expect(Object.keys(document.webhooks).sort()).toEqual([...EVENT_TYPES, 'webhook.test'].sort());
    const entry = document.webhooks['license.activated'].post;
    expect(entry.parameters?.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining([
        'webhook-id',
        'webhook-timestamp',
        'webhook-signature',
        'X-Webhook-Id',
        'X-Webhook-Timestamp',
        'X-Webhook-Signature',
        'X-Webhook-Event',
      ]),
    );
    expect(entry.requestBody).toMatchObject({
      content: {
        'application/json': {
          schema: {
            required: ['id', 'type', 'environment', 'occurredAt', 'data'],
            properties: { type: { const: 'license.activated' }, data: { type: 'object' } },
          },
        },
      },
    });
  });
});
