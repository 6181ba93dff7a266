// The admin page's wire types from an OpenAPI document: the document on stdin, the types on stdout.
// A child process of scripts/api-types.ts and of the drift spec, because openapi-typescript loads
// ES modules that jest's CommonJS runtime cannot.
import openapiTS, { astToString } from 'openapi-typescript';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const ast = await openapiTS(JSON.parse(Buffer.concat(chunks).toString('utf8')), {
  alphabetize: true,
});
process.stdout.write(astToString(ast));
