/**
 * Contacts: org member details with the app token (old API, reference §2) and "who am I" with a
 * user's OAuth2 token (new API, reference §3). Also serves placeholder avatars so `avatarUrl`
 * points somewhere real.
 */
import type { Context } from 'koa';
import type { SandboxModule } from '../context';
import { NEW_API, OLD_API, sendNewApiError, sendOldApiError, sendOldApiOk } from '../errors';
import { bodyOf, callerOf, newApi, oldApi, str } from '../gateway';
import type { SandboxState } from '../state';
import { publishEvent } from './stream';

const departedByState = new WeakMap<SandboxState, Set<string>>();

/**
 * Userids that have left the organisation in this sandbox (the shared demo org is never
 * mutated): `user/get` no longer finds them, as DingTalk answers for a former member.
 */
export function departedEmployees(state: SandboxState): Set<string> {
  const known = departedByState.get(state);
  if (known) return known;
  const set = new Set<string>();
  departedByState.set(state, set);
  return set;
}

/** `/topapi/v2/user/get`, `/topapi/user/getbyunionid`, `GET /v1.0/contact/users/me`, `/avatars/:unionid`. */
export const contactModule: SandboxModule = ({ router, state }) => {
  router.post('/topapi/v2/user/get', oldApi(state), (ctx) => {
    const userid = str(bodyOf(ctx).userid);
    if (!userid) return sendOldApiError(ctx, OLD_API.missingParameter, '缺少参数 userid');
    const e = departedEmployees(state).has(userid) ? undefined : state.employee(userid);
    if (!e) return sendOldApiError(ctx, OLD_API.userNotFound);
    const leader = e.roles.includes('manager');
    sendOldApiOk(ctx, {
      result: {
        userid: e.userid,
        unionid: e.unionid,
        name: e.name,
        avatar: avatarUrl(ctx, e.unionid),
        state_code: '86',
        mobile: e.mobile,
        hide_mobile: false,
        title: e.title,
        dept_id_list: [e.deptId],
        dept_order_list: [{ dept_id: e.deptId, order: 0 }],
        leader_in_dept: [{ dept_id: e.deptId, leader }],
        active: true,
        admin: e.roles.includes('admin'),
        boss: false,
        senior: false,
        real_authed: true,
      },
    });
  });

  // Test hook / console action: the employee leaves the organisation; DingTalk then sends
  // `user_leave_org` (address-book event, reference §11) over the subscribed channel.
  router.post('/api/sandbox/employees/:userid/leave', (ctx) => {
    const userid = String(ctx.params.userid);
    if (!state.employee(userid)) {
      ctx.status = 404;
      ctx.body = { error: 'no such employee' };
      return;
    }
    departedEmployees(state).add(userid);
    const eventId = publishEvent(state, 'user_leave_org', {
      UserId: [userid],
      TimeStamp: String(state.now()),
    });
    ctx.body = { userid, eventId };
  });

  router.post('/topapi/user/getbyunionid', oldApi(state), (ctx) => {
    const unionid = str(bodyOf(ctx).unionid);
    const e = unionid ? state.org.employees.find((x) => x.unionid === unionid) : undefined;
    // 60121 also for DingTalk accounts that exist but are not members: that is how the product
    // tells an employee from an outside candidate.
    if (!e) return sendOldApiError(ctx, OLD_API.userNotFound);
    sendOldApiOk(ctx, { result: { contact_type: 0, userid: e.userid } });
  });

  router.get('/v1.0/contact/users/me', newApi(state, 'user'), (ctx) => {
    const { user } = callerOf(ctx);
    const a = user ? state.account(user.unionid) : undefined;
    if (!user || !a) return sendNewApiError(ctx, NEW_API.invalidToken);
    // The mobile number is personal data behind its own scope (reference §3.4).
    const withMobile = user.scope.split(/\s+/).includes('Contact.User.mobile');
    ctx.body = {
      nick: a.name,
      avatarUrl: avatarUrl(ctx, a.unionid),
      ...(withMobile ? { mobile: a.mobile, stateCode: '86' } : {}),
      ...(a.email ? { email: a.email } : {}),
      openId: state.openId(a.unionid, user.clientId),
      unionId: a.unionid,
      visitor: false,
    };
  });

  router.get('/avatars/:unionid', (ctx) => {
    ctx.type = 'image/svg+xml';
    ctx.body = avatarSvg(state, ctx.params.unionid);
  });
};

function avatarUrl(ctx: Context, unionid: string): string {
  return `${ctx.origin}/avatars/${encodeURIComponent(unionid)}`;
}

/** A coloured circle with the last character of the name, like DingTalk's default avatars. */
function avatarSvg(state: SandboxState, unionid: string): string {
  const name = state.account(unionid)?.name ?? '?';
  const initial = [...name].at(-1) ?? '?';
  const hue = [...unionid].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 0);
  const safe = initial.replace(/[<>&"']/g, '?');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><circle cx="48" cy="48" r="48" fill="hsl(${hue},55%,55%)"/><text x="48" y="60" font-size="40" text-anchor="middle" fill="#fff" font-family="sans-serif">${safe}</text></svg>`;
}
