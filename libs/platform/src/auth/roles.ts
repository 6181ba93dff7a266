/** The roles of the `role` claim, least privileged first: viewer < auditor < admin < owner. */
export const ROLES = ['viewer', 'auditor', 'admin', 'owner'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `actual` is `required` or a higher role. */
export function roleAtLeast(actual: Role, required: Role): boolean {
  const rank = ROLES.indexOf(actual);
  return rank >= 0 && rank >= ROLES.indexOf(required);
}
