/**
 * The roles of the admin API (PRODUCT.md part 3) and what each may do on this page. The API is the
 * authority; this only decides what to hide or disable, so nobody is offered a button that will 403.
 */
export const ROLES = ['viewer', 'auditor', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export type Ability =
  /** Webhook and delivery lists, details and history. */
  | 'read'
  /** Create, edit, toggle, delete, rotate, reveal secrets, retry, send tests. */
  | 'write'
  /** Change the default retry policy. */
  | 'editSettings';

const MINIMUM_ROLE: Record<Ability, Role> = {
  read: 'auditor',
  write: 'admin',
  editSettings: 'owner',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, ability: Ability): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(MINIMUM_ROLE[ability]);
}

export function minimumRole(ability: Ability): Role {
  return MINIMUM_ROLE[ability];
}
