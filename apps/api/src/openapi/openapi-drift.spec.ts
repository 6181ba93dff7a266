import { execFileSync } from 'node:child_process';
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

  // Redocly's structural rules (it comes with openapi-typescript), in a child process: it is ESM.
  it('is a valid OpenAPI 3.1 document (no Redocly errors)', () => {
    const script = `
      import { createConfig, lintFromString } from '@redocly/openapi-core';
      const chunks = [];
      for await (const chunk of process.stdin) chunks.push(chunk);
      const config = await createConfig({ extends: ['minimal'] });
      const problems = await lintFromString({
        source: Buffer.concat(chunks).toString('utf8'), absoluteRef: 'openapi.json', config,
      });
      const errors = problems.filter((problem) => problem.severity === 'error');
      console.log(JSON.stringify(errors.map((e) => e.ruleId + ' ' + e.message + ' ' + e.location?.[0]?.pointer)));`;
    const errors = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      input: generated.json,
      encoding: 'utf8',
    });
    expect(JSON.parse(errors)).toEqual([]);
    expect(JSON.parse(generated.json)).toMatchObject({ openapi: '3.1.0' });
  });

  it(`apps/admin/src/api/schema.d.ts is current (if not: ${REGENERATE})`, () => {
    expect(readFileSync(OPENAPI_TYPES, 'utf8') === generated.types).toBe(true);
  });
});
