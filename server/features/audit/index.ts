/** The audit log as HR and admins read it (writing audit rows is the kernel's `audit`). */
import type { Feature } from '../../kernel/feature';
import { auditRoutes } from './audit.routes';

export const auditLog: Feature = {
  name: 'audit',
  routes: () => [auditRoutes()],
};
