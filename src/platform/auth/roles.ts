import type { Role } from '../db/schema.ts';

export type { Role };
export const ROLES: readonly Role[] = [
  'citizen',
  'employer',
  'cpi_operator',
  'apl_operator',
  'regional_manager',
  'national_manager',
  'admin',
];

/** Roles that handle other people's data must use a second factor at every sign-in. */
export const SECOND_FACTOR_REQUIRED: ReadonlySet<Role> = new Set([
  'cpi_operator',
  'apl_operator',
  'regional_manager',
  'national_manager',
  'admin',
]);

export const OPERATOR_ROLES: readonly Role[] = ['cpi_operator', 'apl_operator'];
export const MANAGER_ROLES: readonly Role[] = ['regional_manager', 'national_manager'];
