import { ROLES, Role, isRole, roleAtLeast } from './roles';

describe('roles', () => {
  it('given the role list, when read, then it is ordered viewer < auditor < admin < owner', () => {
    expect(ROLES).toEqual(['viewer', 'auditor', 'admin', 'owner']);
  });

  it.each<[Role, Role, boolean]>([
    ['viewer', 'viewer', true],
    ['viewer', 'auditor', false],
    ['auditor', 'viewer', true],
    ['auditor', 'auditor', true],
    ['auditor', 'admin', false],
    ['admin', 'auditor', true],
    ['admin', 'owner', false],
    ['owner', 'admin', true],
    ['owner', 'owner', true],
  ])('given %s, when %s is required, then roleAtLeast is %s', (actual, required, expected) => {
    expect(roleAtLeast(actual, required)).toBe(expected);
  });

  it('given an unknown actual role, when compared, then it is never enough', () => {
    expect(roleAtLeast('root' as Role, 'viewer')).toBe(false);
  });

  it('given claim values, when checked, then only the four role names are roles', () => {
    expect(ROLES.every(isRole)).toBe(true);
    for (const value of ['Admin', 'root', '', ' admin', undefined, null, 3, ['admin'], {}]) {
      expect(isRole(value)).toBe(false);
    }
  });
});
