/**
 * Roles an employee can hold inside the product. Candidates are a separate principal kind,
 * never an employee role, so a candidate token can never satisfy an employee check.
 */
export const EMPLOYEE_ROLES = ['hr', 'manager', 'interviewer', 'admin'] as const;
/** One employee role. */
export type EmployeeRole = (typeof EMPLOYEE_ROLES)[number];

/** Kinds of signed-in principal. */
export const PRINCIPAL_KINDS = ['employee', 'candidate'] as const;
/** Employee (DingTalk org member) or candidate (external person). */
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** The home screen a principal lands on, in priority order for employees holding several roles. */
export type HomeKind = 'candidate' | 'hr' | 'manager' | 'interviewer';

/**
 * Picks the home screen for a principal. HR outranks manager outranks interviewer because
 * the wider view contains the narrower one's entry points.
 */
export function homeFor(kind: PrincipalKind, roles: readonly EmployeeRole[]): HomeKind {
  if (kind === 'candidate') return 'candidate';
  if (roles.includes('hr') || roles.includes('admin')) return 'hr';
  if (roles.includes('manager')) return 'manager';
  return 'interviewer';
}
