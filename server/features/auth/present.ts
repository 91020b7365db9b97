import type { Me } from '../../../shared/api/auth';
import { homeFor } from '../../../shared/roles';
import type { Actor } from '../../kernel/http/context';

/** Shapes the signed-in principal for the API (`Me`). */
export function presentMe(actor: Actor, departmentName: string | null): Me {
  if (actor.kind === 'candidate') {
    return {
      id: actor.id,
      kind: 'candidate',
      name: actor.candidate.name,
      roles: [],
      department: null,
      home: 'candidate',
      locale: actor.candidate.locale === 'en' ? 'en' : 'zh-CN',
      invitationJobId: actor.invitationJobId,
    };
  }
  return {
    id: actor.id,
    kind: 'employee',
    name: actor.user.name,
    roles: actor.roles,
    department: departmentName,
    home: homeFor('employee', actor.roles),
    locale: actor.user.locale === 'en' ? 'en' : 'zh-CN',
    invitationJobId: null,
  };
}
