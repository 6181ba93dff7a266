// npm run api:types: writes the api's OpenAPI document and the admin page's wire types generated
// from it (apps/admin/src/api/openapi.json, schema.d.ts). Run it after changing a route or a DTO;
// apps/api/src/openapi/openapi-drift.spec.ts fails until the committed files match.
import { writeFileSync } from 'node:fs';
import {
  buildOpenApiArtifacts,
  OPENAPI_JSON,
  OPENAPI_TYPES,
} from '../apps/api/src/openapi/openapi-artifacts';

void buildOpenApiArtifacts().then(
  ({ json, types }) => {
    writeFileSync(OPENAPI_JSON, json);
    writeFileSync(OPENAPI_TYPES, types);
    console.log(`wrote ${OPENAPI_JSON} and ${OPENAPI_TYPES}`);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
