import type { Me } from '../../../shared/api/auth';

/** A candidate as `GET /api/me` describes them, for the tests of what reads that answer. */
export const CANDIDATE_ME: Me = {
  id: 7,
  kind: 'candidate',
  name: '张三',
  roles: [],
  department: null,
  home: 'candidate',
  locale: 'zh-CN',
  invitationJobId: 3,
};
