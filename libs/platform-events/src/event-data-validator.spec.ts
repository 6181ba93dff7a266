import { EVENT_DATA_SCHEMAS } from './event-data-schemas';
import { EventDataValidator, MAX_LISTED_SCHEMA_ERRORS } from './event-data-validator';

const validator = new EventDataValidator();
const { license } = EVENT_DATA_SCHEMAS['license.created'].example as { license: object };

describe('EventDataValidator', () => {
  it('given every example, when checked, then each is accepted', () => {
    for (const [type, { example }] of Object.entries(EVENT_DATA_SCHEMAS)) {
      expect([type, validator.check(type, example)]).toEqual([type, { ok: true }]);
    }
  });

  it('given a missing required field, when checked, then the reason has the pointer and the rule', () => {
    const check = validator.check('license.created', { license: { ...license, key: undefined } });
    expect(check).toEqual({
      ok: false,
      reason:
        'data breaks the license.created schema: /data/license must have property "key" ' +
        '(rule: required at #/properties/license/required)',
    });
  });

  it('given a field of the wrong type, when checked, then the reason has its pointer and the rule', () => {
    const check = validator.check('license.created', {
      license: { ...license, seats: { total: 'many', used: 0 } },
    });
    expect(!check.ok && check.reason).toBe(
      'data breaks the license.created schema: /data/license/seats/total must be integer ' +
        '(rule: type at #/properties/license/properties/seats/properties/total/type)',
    );
  });

  it('given several broken fields, when checked, then the reason names every pointer and rule', () => {
    const check = validator.check('license.created', {
      license: { ...license, key: undefined, seats: { total: 'many', used: -1 } },
    });
    expect(!check.ok && check.reason.split('; ')).toEqual([
      'data breaks the license.created schema: /data/license must have property "key" ' +
        '(rule: required at #/properties/license/required)',
      '/data/license/seats/total must be integer ' +
        '(rule: type at #/properties/license/properties/seats/properties/total/type)',
      '/data/license/seats/used must be >= 0 ' +
        '(rule: minimum at #/properties/license/properties/seats/properties/used/minimum)',
    ]);
  });

  it('given more broken fields than a reason lists, when checked, then it says how many more', () => {
    // Seven required license fields missing and both seat counts of the wrong type: nine errors.
    const check = validator.check('license.created', {
      license: { seats: { total: 'many', used: 'some' } },
    });
    const parts = !check.ok ? check.reason.split('; ') : [];
    expect(parts).toHaveLength(MAX_LISTED_SCHEMA_ERRORS + 1);
    expect(parts.at(-1)).toBe(`and ${9 - MAX_LISTED_SCHEMA_ERRORS} more`);
  });

  it('given an extra field anywhere, when checked, then it is accepted', () => {
    expect(
      validator.check('license.created', { license: { ...license, tier: 'gold' }, region: 'eu' }),
    ).toEqual({ ok: true });
  });

  it('given a type without a schema, when checked, then it is refused', () => {
    expect(validator.check('license.exploded', {}).ok).toBe(false);
  });
});
