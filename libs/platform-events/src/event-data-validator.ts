import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { EVENT_DATA_SCHEMAS } from './event-data-schemas';

export type DataCheck = { ok: true } | { ok: false; reason: string };

/** An ajv for the 2020-12 dialect with the formats the schemas use; strict, so a schema typo throws. */
export function createSchemaAjv(options: { allErrors?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: !!options.allErrors });
  addFormats(ajv);
  return ajv;
}

/** One ajv error in words: the JSON pointer into the event (under `/data`) and the rule it broke. */
export function describeSchemaError(error: ErrorObject): string {
  const pointer = `/data${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  const detail =
    error.keyword === 'required'
      ? `must have property ${JSON.stringify(params.missingProperty)}`
      : (error.message ?? 'is invalid');
  return `${pointer} ${detail} (rule: ${error.keyword} at ${error.schemaPath})`;
}

/** A dead letter's reason lists at most this many errors, then says how many more there were. */
export const MAX_LISTED_SCHEMA_ERRORS = 8;

function compileAll(ajv: Ajv2020): ReadonlyMap<string, ValidateFunction> {
  return new Map(
    Object.entries(EVENT_DATA_SCHEMAS).map(([type, { schema }]) => [type, ajv.compile(schema)]),
  );
}

/**
 * Checks an event's `data` against its type's schema. Every schema is compiled once, when this is
 * built; checking is then a call of the compiled function, which stops at the first error so a
 * valid event (nearly all of them) costs the least. Only a broken one is checked again by a
 * second compilation that collects every error, so its producer reads all that is wrong at once.
 */
export class EventDataValidator {
  private readonly validators: ReadonlyMap<string, ValidateFunction>;
  private readonly explainers: ReadonlyMap<string, ValidateFunction>;

  constructor(ajv: Ajv2020 = createSchemaAjv()) {
    this.validators = compileAll(ajv);
    // Compiled up front (about 0.1 s), not at the first broken event, which would stall its partition.
    this.explainers = compileAll(createSchemaAjv({ allErrors: true }));
  }

  check(type: string, data: unknown): DataCheck {
    const validate = this.validators.get(type);
    if (!validate) return { ok: false, reason: `no schema for type ${JSON.stringify(type)}` };
    if (validate(data)) return { ok: true };
    return { ok: false, reason: `data breaks the ${type} schema: ${this.explain(type, data)}` };
  }

  private explain(type: string, data: unknown): string {
    const explainer = this.explainers.get(type);
    const errors = (explainer && !explainer(data) && explainer.errors) || [];
    if (errors.length === 0) return 'invalid';
    const listed = errors.slice(0, MAX_LISTED_SCHEMA_ERRORS).map(describeSchemaError);
    const more = errors.length - listed.length;
    return [...listed, ...(more > 0 ? [`and ${more} more`] : [])].join('; ');
  }
}
