import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { EVENT_DATA_SCHEMAS } from './event-data-schemas';

export type DataCheck = { ok: true } | { ok: false; reason: string };

/** An ajv for the 2020-12 dialect with the formats the schemas use; strict, so a schema typo throws. */
export function createSchemaAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: false });
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

/**
 * Checks an event's `data` against its type's schema. Every schema is compiled once, when this is
 * built; checking is then a call of the compiled function. Stops at the first error (the reason names
 * one pointer and one rule), which also keeps a broken event cheap.
 */
export class EventDataValidator {
  private readonly validators: ReadonlyMap<string, ValidateFunction>;

  constructor(ajv: Ajv2020 = createSchemaAjv()) {
    this.validators = new Map(
      Object.entries(EVENT_DATA_SCHEMAS).map(([type, { schema }]) => [type, ajv.compile(schema)]),
    );
  }

  check(type: string, data: unknown): DataCheck {
    const validate = this.validators.get(type);
    if (!validate) return { ok: false, reason: `no schema for type ${JSON.stringify(type)}` };
    if (validate(data)) return { ok: true };
    const [first] = validate.errors ?? [];
    return {
      ok: false,
      reason: `data breaks the ${type} schema: ${first ? describeSchemaError(first) : 'invalid'}`,
    };
  }
}
