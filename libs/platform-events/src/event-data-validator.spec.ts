import { EVENT_DATA_SCHEMAS } from './event-data-schemas';
import { EventDataValidator } from './event-data-validator';

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

  it('given an extra field anywhere, when checked, then it is accepted', () => {
    expect(
      validator.check('license.created', { license: { ...license, tier: 'gold' }, region: 'eu' }),
    ).toEqual({ ok: true });
  });

  it('given a type without a schema, when checked, then it is refused', () => {
    expect(validator.check('license.exploded', {}).ok).toBe(false);
  });
});
