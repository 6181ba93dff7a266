import { readFileSync } from 'node:fs';
import { buildOpenApiArtifacts, OPENAPI_JSON, OPENAPI_TYPES } from './openapi-artifacts';

const REGENERATE =
  'run `npm run api:types` and commit apps/admin/src/api/openapi.json and schema.d.ts';

// The admin page's wire types are generated from the api's OpenAPI document: both are committed,
// and they must be what the current routes and DTOs give (built from a preview app, no servers).
describe('the committed OpenAPI document and wire types', () => {
  let generated: { json: string; types: string };

  beforeAll(async () => {
    generated = await buildOpenApiArtifacts();
  });

  it(`apps/admin/src/api/openapi.json is current (if not: ${REGENERATE})`, () => {
    const committed = readFileSync(OPENAPI_JSON, 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(generated.json));
    expect(committed === generated.json).toBe(true);
  });

  it(`apps/admin/src/api/schema.d.ts is current (if not: ${REGENERATE})`, () => {
    expect(readFileSync(OPENAPI_TYPES, 'utf8') === generated.types).toBe(true);
  });
});
