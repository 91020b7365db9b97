import { randomBytes } from 'node:crypto';
import type { SignInResponse } from '../../../shared/api/auth';
import { normaliseEmail, normaliseMobile } from '../../../shared/api/candidates';
import type { EmployeeRole } from '../../../shared/roles';
import { absoluteAppUrl, routes } from '../../../shared/routes';
import { type AuditContext, audit } from '../../kernel/audit';
import type { Config } from '../../kernel/config';
import { Candidate, type ICandidate } from '../../kernel/db/entities/Candidate';
import { Department } from '../../kernel/db/entities/Department';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { OAuthState } from '../../kernel/db/entities/OAuthState';
import { type IUser, User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { AppError, unauthorized, upstreamError } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { issueSessionToken, verifyInvitationToken } from '../../kernel/http/tokens';
import { type DingTalk, DingTalkError } from '../../kernel/integrations/dingtalk';
import { presentMe } from './present';
import { invitationSignInLean } from './signInLean';

/** Dependencies shared by the sign-in commands. */
export interface SignInDeps {
  em: Em;
  config: Config;
  dingtalk: DingTalk;
  now: Date;
  context: AuditContext;
}

/** Maps DingTalk failures during sign-in to API errors the mini-app can explain. */
function mapDingTalkError(err: unknown): never {
  if (err instanceof DingTalkError) {
    if (err.kind === 'auth_code')
      throw unauthorized(
        'auth_code_invalid',
        'The sign-in code is invalid, expired or already used; please try again',
      );
    if (err.kind === 'credentials')
      throw upstreamError('dingtalk_unavailable', 'The DingTalk app credentials are misconfigured');
    throw upstreamError('dingtalk_unavailable', 'DingTalk is not reachable right now; please retry', {
      kind: err.kind,
      code: err.code,
    });
  }
  throw err;
}

async function departmentName(em: Em, user: IUser): Promise<string | null> {
  if (!user.department) return null;
  const d = await em.findOne(Department, { id: user.department.id });
  return d?.name ?? null;
}

async function sessionFor(deps: SignInDeps, actor: Actor, deptName: string | null): Promise<SignInResponse> {
  const { token, expiresAt } = await issueSessionToken(
    deps.config.session.secret,
    {
      kind: actor.kind,
      id: actor.id,
      invitationJobId: actor.kind === 'candidate' ? actor.invitationJobId : null,
      generation:
        actor.kind === 'employee' ? actor.user.sessionGeneration : actor.candidate.sessionGeneration,
    },
    deps.config.session.ttlMinutes,
    deps.now,
  );
  return { token, expiresAt: expiresAt.toISOString(), me: presentMe(actor, deptName) };
}

function employeeActor(user: IUser): Actor {
  return {
    kind: 'employee',
    id: user.id,
    user,
    roles: user.roles,
    departmentId: user.managedDepartment?.id ?? user.department?.id ?? null,
  };
}

/**
 * Employee 免登: exchanges the H5 auth code at DingTalk, then loads (or first creates) the
 * employee. Someone in the organisation whom HR has not given a role yet is recorded, so HR
 * can grant access, and refused with 403 `no_access`. DingTalk's main admin is bootstrapped
 * as admin + HR so a fresh install has someone who can configure it.
 */
export async function signInEmployee(deps: SignInDeps, code: string): Promise<SignInResponse> {
  const info = await deps.dingtalk.identity.userInfoByCode(code).catch(mapDingTalkError);
  const { em } = deps;
  let user = await em.findOne(User, { dingtalkUserId: info.userid });
  if (!user) {
    const detail = await deps.dingtalk.identity.userDetail(info.userid).catch(mapDingTalkError);
    const dept = detail.deptIds.length
      ? await em.findOne(Department, { dingtalkId: detail.deptIds[0] })
      : null;
    const roles: EmployeeRole[] = info.sysLevel === 1 ? ['admin', 'hr'] : [];
    user = em.create(User, {
      dingtalkUserId: info.userid,
      unionId: detail.unionid ?? info.unionid,
      name: detail.name || info.name,
      mobile: detail.mobile,
      title: detail.title,
      department: dept,
      roles,
    });
    audit(em, null, 'user.provisioned', { type: 'user', id: info.userid }, { roles }, deps.context);
    // The session token carries the user's id: it exists only once the row is written (the main
    // admin's first sign-in on an empty product used to get a token for id NaN).
    await em.flush();
  }
  if (info.unionid && !user.unionId) user.unionId = info.unionid;
  if (!user.active || user.roles.length === 0) {
    await em.flush();
    // Name the admins: they grant roles on the organisation screen (/org), so the person knows
    // whom to ask. Names only, of active colleagues in the same organisation.
    const admins = (await em.find(User, { active: true }, { orderBy: { id: 'asc' } }))
      .filter((u) => u.roles.includes('admin'))
      .map((u) => u.name)
      .slice(0, 5);
    throw new AppError(
      'no_access',
      'Your DingTalk account has no access to the interview app yet; ask an admin to grant you a role',
      admins.length ? { admins: admins.join('、') } : undefined,
    );
  }
  user.lastSignInAt = deps.now;
  const actor = employeeActor(user);
  audit(
    em,
    actor,
    'auth.sign_in',
    { type: 'user', id: user.id },
    { method: 'dingtalk_auth_code' },
    deps.context,
  );
  await em.flush();
  return sessionFor(deps, actor, await departmentName(em, user));
}

/** How long an OAuth2 login may take between redirect and callback. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/**
 * Starts a DingTalk OAuth2 login: records a single-use state (in the database, so the
 * callback may reach any instance) and returns the login URL. The same nonce goes into an
 * httpOnly cookie; the callback must present both, which binds the login to this browser.
 */
export async function startOAuth(
  deps: SignInDeps,
  nextPath: string,
): Promise<{ nonce: string; url: string }> {
  const nonce = randomBytes(24).toString('hex');
  deps.em.create(OAuthState, {
    nonce,
    nextPath,
    expiresAt: new Date(deps.now.getTime() + OAUTH_STATE_TTL_MS),
  });
  await deps.em.flush();
  const url = deps.dingtalk.oauth.authorizeUrl(
    absoluteAppUrl(deps.config.publicUrl, routes.authCallback()),
    nonce,
  );
  return { nonce, url };
}

/**
 * Finishes an OAuth2 login. The state must match the browser's cookie, be unexpired and
 * unused; it is consumed with a conditional UPDATE so two concurrent callbacks cannot both
 * succeed. The account is keyed on unionId: an active employee signs in as themselves
 * (PC browser outside DingTalk), anyone else as a candidate (created on first login).
 */
export async function finishOAuth(
  deps: SignInDeps,
  input: { code: string; state: string; cookieNonce: string | undefined },
): Promise<SignInResponse & { nextPath: string }> {
  const { em, now } = deps;
  if (!input.cookieNonce || input.cookieNonce !== input.state) {
    throw unauthorized(
      'oauth_state_invalid',
      'This sign-in was started in another browser or has expired; please sign in again',
    );
  }
  const consumed = await em.nativeUpdate(
    OAuthState,
    { nonce: input.state, usedAt: null, expiresAt: { $gt: now } },
    { usedAt: now },
  );
  if (consumed !== 1)
    throw unauthorized(
      'oauth_state_invalid',
      'This sign-in link was already used or has expired; please sign in again',
    );
  const state = await em.findOneOrFail(OAuthState, { nonce: input.state });

  const account = await deps.dingtalk.oauth.accountForCode(input.code).catch(mapDingTalkError);
  const employee = await em.findOne(User, { unionId: account.unionId, active: true });
  if (employee && employee.roles.length > 0) {
    employee.lastSignInAt = now;
    const actor = employeeActor(employee);
    audit(
      em,
      actor,
      'auth.sign_in',
      { type: 'user', id: employee.id },
      { method: 'dingtalk_oauth' },
      deps.context,
    );
    await em.flush();
    return {
      ...(await sessionFor(deps, actor, await departmentName(em, employee))),
      nextPath: state.nextPath,
    };
  }
  let candidate: ICandidate | null = await em.findOne(Candidate, { unionId: account.unionId });
  const mobileKey = account.mobile ? normaliseMobile(account.mobile) : null;
  const emailKey = account.email ? normaliseEmail(account.email) : null;
  if (!candidate && (mobileKey || emailKey)) {
    // HR added or imported this person already (same mobile or e-mail): their first DingTalk
    // sign-in attaches to that record instead of creating a second candidate.
    candidate = await em.findOne(Candidate, {
      unionId: null,
      $or: [...(mobileKey ? [{ mobileKey }] : []), ...(emailKey ? [{ emailKey }] : [])],
    });
    if (candidate) candidate.unionId = account.unionId;
  }
  if (!candidate) {
    const taken = await em.findOne(Candidate, {
      $or: [...(mobileKey ? [{ mobileKey }] : []), ...(emailKey ? [{ emailKey }] : [])],
    });
    candidate = em.create(Candidate, {
      unionId: account.unionId,
      name: account.nick || '候选人',
      mobile: account.mobile,
      email: account.email,
      // Keys only when free: another DingTalk account with the same contact keeps its own row.
      mobileKey: taken ? null : mobileKey,
      emailKey: taken ? null : emailKey,
    });
  }
  candidate.lastSignInAt = now;
  await em.flush();
  const actor: Actor = { kind: 'candidate', id: candidate.id, candidate, invitationJobId: null };
  audit(
    em,
    actor,
    'auth.sign_in',
    { type: 'candidate', id: candidate.id },
    { method: 'dingtalk_oauth' },
    deps.context,
  );
  await em.flush();
  return { ...(await sessionFor(deps, actor, null)), nextPath: state.nextPath };
}

/**
 * Signs a candidate in with an invitation link (for people without DingTalk). The link may be
 * reused until it expires, so a candidate can resume on another phone; revocation and the
 * deadline are checked against the row, not only the signature.
 */
export async function signInByInvitation(deps: SignInDeps, token: string): Promise<SignInResponse> {
  const id = await verifyInvitationToken(deps.config.session.secret, token, deps.now);
  // The usual case in plain SQL; an unusual link falls through to the ORM path and its errors.
  const lean = await invitationSignInLean(deps, id);
  return lean ? sessionFor(deps, lean, null) : signInByInvitationOrm(deps, id);
}

/**
 * The ORM path of {@link signInByInvitation} (a verified token's invitation `id`): every error
 * answer, and the reference the lean path is tested against.
 */
export async function signInByInvitationOrm(deps: SignInDeps, id: number): Promise<SignInResponse> {
  const { em, now } = deps;
  const invitation = await em.findOne(Invitation, { id }, { populate: ['candidate', 'job'] });
  if (!invitation) throw unauthorized('invitation_invalid', 'This invitation link is not valid');
  if (invitation.revokedAt)
    throw unauthorized(
      'invitation_revoked',
      'This invitation was withdrawn; contact HR if this is a mistake',
    );
  if (invitation.expiresAt.getTime() <= now.getTime()) {
    throw unauthorized('invitation_expired', 'This invitation link has expired; ask HR for a new one');
  }
  if (invitation.job.status !== 'open') throw new AppError('job_closed', 'This job is no longer open');
  if (!invitation.firstUsedAt) invitation.firstUsedAt = now;
  const candidate = invitation.candidate;
  candidate.lastSignInAt = now;
  const actor: Actor = { kind: 'candidate', id: candidate.id, candidate, invitationJobId: invitation.job.id };
  audit(
    em,
    actor,
    'auth.sign_in',
    { type: 'candidate', id: candidate.id },
    { method: 'invitation', invitationId: id },
    deps.context,
  );
  await em.flush();
  return sessionFor(deps, actor, null);
}
