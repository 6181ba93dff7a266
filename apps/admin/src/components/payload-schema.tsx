import type { EventTypeSchema } from '../api/types';

/**
 * An event type's `data`: what it means, an example and its JSON Schema (2020-12), as
 * `GET /event-types` serves them (docs/payloads.md has the same, with a field table).
 */
export function PayloadSchemaView({
  type,
  described,
}: {
  type: string;
  described: EventTypeSchema;
}) {
  return (
    <div className="payload-schema" aria-label={`Payload of ${type}`}>
      <p>{described.description}</p>
      <h4>Example data</h4>
      <pre>{JSON.stringify(described.example, null, 2)}</pre>
      <h4>JSON Schema</h4>
      <pre>{JSON.stringify(described.schema, null, 2)}</pre>
    </div>
  );
}
