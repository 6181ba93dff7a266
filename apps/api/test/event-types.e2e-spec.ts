import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { signAccessToken, type Role } from '@app/platform';
import { EVENT_DATA_SCHEMAS } from '@app/platform-events';
import { startTestApp, type TestApp } from '../../../test/support/test-app';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

const JWT_SECRET = 'e2e-test-signing-key-that-is-long-enough-0123456789';

describe('event types API: the catalogue with each type data schema and example', () => {
  let api: TestApp;

  async function get(path: string, role: Role | null = 'viewer') {
    const response = await fetch(`${api.url}/api/v1${path}`, {
      headers: role
        ? { authorization: `Bearer ${signAccessToken(JWT_SECRET, { id: 'u', role }, 600)}` }
        : {},
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await response.json(),
    };
  }

  beforeAll(async () => {
    api = await startTestApp(ApiModule, {
      label: 'api_event_types',
      configure: configureApi,
      env: { AUTH_JWT_SECRET: JWT_SECRET },
    });
  });

  afterAll(() => api?.close());

  it('given a viewer, when listing event types, then each group carries the schema and example of each of its types', async () => {
    const { status, body } = await get('/event-types');

    expect(status).toBe(200);
    const types = body.flatMap((group: { eventTypes: string[] }) => group.eventTypes);
    expect(types).toHaveLength(23);
    expect(types.slice(-2)).toEqual(['webhook.paused', 'delivery.failed']);
    const ajv = new Ajv2020({ allowUnionTypes: true });
    addFormats(ajv);
    for (const group of body) {
      expect(Object.keys(group.schemas)).toEqual(group.eventTypes);
      for (const type of group.eventTypes) {
        const { schema, example, description } = group.schemas[type];
        expect(description).toEqual(expect.any(String));
        expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
        expect(ajv.validate(schema, example)).toBe(true);
      }
    }
  });

  it.each(['license.activated', 'telemetry.flagged', 'delivery.failed', 'webhook.test'])(
    'given the type %s, when read alone, then it is its group, description, schema and example',
    async (type) => {
      const { status, body } = await get(`/event-types/${type}`);

      expect(status).toBe(200);
      const { description, schema, example } =
        EVENT_DATA_SCHEMAS[type as keyof typeof EVENT_DATA_SCHEMAS];
      expect(body).toEqual({
        type,
        group: {
          'license.activated': 'License',
          'telemetry.flagged': 'Telemetry',
          'delivery.failed': 'Operational',
          'webhook.test': 'Test',
        }[type],
        description,
        schema,
        example,
      });
    },
  );

  it('given an unknown type, when read, then it is a 404 problem', async () => {
    const { status, type } = await get('/event-types/license.exploded');

    expect(status).toBe(404);
    expect(type).toMatch(/^application\/problem\+json/);
  });

  it('given no token, when reading a type, then it is 401', async () => {
    expect((await get('/event-types/license.created', null)).status).toBe(401);
  });
});
