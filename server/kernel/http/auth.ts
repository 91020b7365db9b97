import type { EntityDictionary } from '@mikro-orm/core';
import type { Next } from 'koa';
import type { EmployeeRole } from '../../../shared/roles';
import type { CandidateSession } from '../actor';
import { type IUser, User } from '../db/entities/User';
import type { Em } from '../db/orm';
import { query } from '../db/tx';
import { type AppError, unauthorized } from '../errors';
import { bindLog } from '../logger';
import { assertCan } from '../policies';
import type { Actor, AppContext } from './context';
import { type SessionClaims, verifySessionToken } from './tokens';

/** The claims of the request's bearer token (401 without one, or when it is invalid or expired). */
async function bearerClaims(ctx: AppContext): Promise<SessionClaims> {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) throw unauthorized('unauthenticated', 'Sign-in required');
  const now = ctx.deps.now?.() ?? new Date();
  return verifySessionToken(ctx.deps.config.session.secret, match[1].trim(), now);
}

/** The 401 for a candidate's row as it stands now (null: the token's session is still valid). */
function candidateRefusal(claims: SessionClaims, row: CandidateSession | null): AppError | null {
  if (!row) return unauthorized('session_invalid', 'This account no longer exists');
  if ((claims.generation ?? 0) !== row.sessionGeneration)
    return unauthorized('session_revoked', 'This session has ended; please sign in again');
  return null;
}

function setActor(ctx: AppContext, actor: Actor): void {
  ctx.state.actor = actor;
  bindLog(ctx.state, { actor: `${actor.kind}:${actor.id}` });
}

/** The `users` columns an ORM read of a `User` selects (its scalar and owning-side relation columns). */
let userColumns: string | undefined;

/**
 * The employee `id` as a managed `User` of the request's EntityManager, or null: one plain read
 * (the plain-SQL pool on MySQL) mapped by the ORM (`em.map`: the same result mapping and merge a
 * `findOne` ends with). A `findOne` builds its query through the ORM's filters, populate
 * planning and query builder on every employee request; that was the largest share of the
 * garbage and CPU of HR's hot reads (BENCHMARKS.md, api), for a row read by primary key.
 */
export async function employeeOf(em: Em, id: number): Promise<IUser | null> {
  userColumns ??= em
    .getMetadata()
    .get(User)
    .props.filter((prop) => prop.persist !== false && (prop.kind === 'scalar' || prop.kind === 'm:1'))
    .flatMap((prop) => prop.fieldNames)
    .join(', ');
  const [row] = await query<EntityDictionary<IUser>>(em, `select ${userColumns} from users where id = ?`, [
    id,
  ]);
  return row ? em.map(User, row) : null;
}

/** Loads and checks the principal of `claims` now (the check `requireAuth` makes). */
async function authenticate(ctx: AppContext, claims: SessionClaims): Promise<void> {
  const em = ctx.deps.orm.em;
  if (claims.kind === 'employee') {
    const user = await employeeOf(em, claims.id);
    if (!user?.active) throw unauthorized('session_invalid', 'This account is no longer active');
    if ((claims.generation ?? 0) !== user.sessionGeneration)
      throw unauthorized('session_revoked', 'This session has ended; please sign in again');
    setActor(ctx, {
      kind: 'employee',
      id: user.id,
      user,
      roles: user.roles,
      // A manager hires for the department an admin chose, else their own DingTalk department.
      departmentId: user.managedDepartment?.id ?? user.department?.id ?? null,
    });
    return;
  }
  const candidate = await candidateSession(em, claims.id);
  const refused = candidateRefusal(claims, candidate);
  if (refused) throw refused;
  setActor(ctx, {
    kind: 'candidate',
    id: claims.id,
    candidate: candidate as CandidateSession,
    invitationJobId: claims.invitationJobId,
  });
}

/**
 * Requires a valid session token (`Authorization: Bearer ...`) and loads the principal from
 * the database on every request, so a deactivated employee or changed role takes effect at
 * once instead of when the token expires. A token issued before the person's sessions were
 * ended (erasure, deactivation, leaving the organisation: a bumped `sessionGeneration`) is
 * refused on its next request.
 */
export async function requireAuth(ctx: AppContext, next: Next): Promise<void> {
  await authenticate(ctx, await bearerClaims(ctx));
  await next();
}

const SESSION_READ = 'select id, name, locale, session_generation from candidates where id = ?';

type SessionRow = { id: number; name: string; locale: string; session_generation: number };

function sessionOfRow(r: SessionRow | undefined): CandidateSession | null {
  return r
    ? { id: Number(r.id), name: r.name, locale: r.locale, sessionGeneration: Number(r.session_generation) }
    : null;
}

/**
 * A candidate's session check that a hot route leaves to its handler's first database round trip
 * ({@link requireAuthDeferred}). The token's signature and expiry are already checked; what is
 * left is the row: gone (erasure) or a bumped session generation (revocation) refuses with the
 * same 401 as {@link requireAuth}. Until the check passed, reading `actor.candidate` throws, so
 * nothing can use the person's columns unchecked.
 */
export class DeferredSession {
  private refusal: AppError | null = null;
  private ok = false;
  readonly actor: Extract<Actor, { kind: 'candidate' }>;

  constructor(
    private readonly em: Em,
    private readonly claims: SessionClaims,
  ) {
    const actor = { kind: 'candidate', id: claims.id, invitationJobId: claims.invitationJobId };
    Object.defineProperty(actor, 'candidate', {
      configurable: true,
      enumerable: false,
      get() {
        throw new Error('actor.candidate read before the deferred session check');
      },
    });
    this.actor = actor as Extract<Actor, { kind: 'candidate' }>;
  }

  /** True once the row was read and the session found valid. */
  get verified(): boolean {
    return this.ok;
  }

  /** The read the handler's transaction sends (with `prefetch`, then `all`), before keeping any write. */
  read(): [string, unknown[]] {
    return [SESSION_READ, [this.claims.id]];
  }

  /**
   * Judges the rows of {@link read}: the 401 to answer (the caller must roll back), or null when
   * the session is valid (then `actor.candidate` holds the row's columns).
   */
  judge(rows: readonly SessionRow[]): AppError | null {
    if (this.ok) return null;
    if (this.refusal) return this.refusal;
    const row = sessionOfRow(rows[0]);
    this.refusal = candidateRefusal(this.claims, row);
    if (this.refusal) return this.refusal;
    Object.defineProperty(this.actor, 'candidate', {
      configurable: true,
      enumerable: true,
      writable: true,
      value: row,
    });
    this.ok = true;
    return null;
  }

  /** Checks the session on its own (one read) unless done already; throws the 401 when refused. */
  async ensure(): Promise<void> {
    if (this.ok) return;
    const refused =
      this.refusal ?? this.judge(await query<SessionRow>(this.em, SESSION_READ, [this.claims.id]));
    if (refused) throw refused;
  }
}

const deferredSessions = new WeakMap<object, DeferredSession>();

/**
 * Like {@link requireAuth}, for a hot candidate route whose handler reads the session row inside
 * its own transaction (`deferredSessionOf(ctx)`: prefetch `read()`, `judge` the rows, roll back
 * on a refusal), saving a round trip. The token is verified here; an employee is loaded here as
 * usual. The handler must check before it writes anything; whatever path did not check (the
 * handler failed first, or took a path without a transaction) is checked here on its own, and a
 * refused session answers its 401 instead of the handler's error or body.
 */
export async function requireAuthDeferred(ctx: AppContext, next: Next): Promise<void> {
  const claims = await bearerClaims(ctx);
  if (claims.kind !== 'candidate') {
    await authenticate(ctx, claims);
    await next();
    return;
  }
  const session = new DeferredSession(ctx.deps.orm.em, claims);
  deferredSessions.set(ctx, session);
  setActor(ctx, session.actor);
  try {
    await next();
  } catch (err) {
    await session.ensure();
    throw err;
  }
  await session.ensure();
}

/** The candidate session check {@link requireAuthDeferred} left to the handler (if any). */
export function deferredSessionOf(ctx: AppContext): DeferredSession | undefined {
  return deferredSessions.get(ctx);
}

/**
 * The candidate's session columns, or null when the row is gone: one plain-SQL read (the raw pool
 * on MySQL) instead of an ORM `findOne`, which on the hottest candidate calls cost more CPU than
 * the rest of the authentication. Still read on every request, so an erasure or any other bump of
 * `session_generation` takes effect on the next one.
 */
export async function candidateSession(em: Em, id: number): Promise<CandidateSession | null> {
  return sessionOfRow((await query<SessionRow>(em, SESSION_READ, [id]))[0]);
}

/** The actor of an authenticated request (throws if the route forgot `requireAuth`). */
export function actorOf(ctx: AppContext): Actor {
  if (!ctx.state.actor) throw unauthorized();
  return ctx.state.actor;
}

/** Route guard: the actor must be an employee holding one of `roles`. */
export function requireRole(...roles: EmployeeRole[]) {
  return async (ctx: AppContext, next: Next) => {
    assertCan(actorOf(ctx), 'role.any', { roles });
    await next();
  };
}
