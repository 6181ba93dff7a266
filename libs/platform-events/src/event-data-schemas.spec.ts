import { EVENT_TYPES } from '@app/webhooks';
import { EVENT_DATA_SCHEMAS } from './event-data-schemas';
import { createSchemaAjv } from './event-data-validator';

const ajv = createSchemaAjv();

const entries = Object.entries(EVENT_DATA_SCHEMAS);
const firstRequired = (schema: Record<string, unknown>) => (schema.required as string[])[0];

describe('EVENT_DATA_SCHEMAS', () => {
  it('given the catalogue, then every type and webhook.test has a schema, and nothing else', () => {
    expect(Object.keys(EVENT_DATA_SCHEMAS).sort()).toEqual([...EVENT_TYPES, 'webhook.test'].sort());
  });

  describe.each(entries)('%s', (type, { schema, example, description }) => {
    const validate = ajv.compile(schema);

    it('given its schema, then it is a 2020-12 object schema that does not close the top level', () => {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.type).toBe('object');
      expect(schema).not.toHaveProperty('additionalProperties');
      expect(description.length).toBeGreaterThan(0);
    });

    it('given its example, then the example validates', () => {
      expect(validate(example) ? [] : validate.errors).toEqual([]);
    });

    it('given the example with an extra field, then it still validates (producers evolve)', () => {
      expect(validate({ ...example, addedLater: { anything: true } })).toBe(true);
    });

    it('given the example without its first required field, then it is refused naming it', () => {
      const field = firstRequired(schema);
      const broken: Record<string, unknown> = { ...example };
      delete broken[field];
      expect(validate(broken)).toBe(false);
      expect(validate.errors).toContainEqual(
        expect.objectContaining({ keyword: 'required', params: { missingProperty: field } }),
      );
    });

    it('given the example with a required field of the wrong type, then it is refused at its pointer', () => {
      const field = firstRequired(schema);
      expect(validate({ ...example, [field]: 12345 })).toBe(false);
      expect(validate.errors?.[0]).toMatchObject({ instancePath: `/${field}` });
    });
  });

  it('given a license event with a nested wrong type, then the pointer goes down to it', () => {
    const validate = ajv.compile(EVENT_DATA_SCHEMAS['license.created'].schema);
    const example = EVENT_DATA_SCHEMAS['license.created'].example as { license: object };
    expect(validate({ license: { ...example.license, seats: { total: '25', used: 0 } } })).toBe(
      false,
    );
    expect(validate.errors?.[0]).toMatchObject({
      instancePath: '/license/seats/total',
      keyword: 'type',
    });
  });
});
