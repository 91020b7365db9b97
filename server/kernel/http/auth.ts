import type { EntityDictionary } from '@mikro-orm/core';
import type { Next } from 'koa';
import type { EmployeeRole } from '../../../shared/roles';
import type { CandidateSession } from '../actor';
import { type IUser, User } from '../db/entities/User';
import type { Em } from '../db/orm';
import { sqlBool } from '../db/raw';
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

type UserRow = EntityDictionary<IUser> & {
  id: number;
  active: unknown;
  session_generation: number | string;
  roles: unknown;
  department_id: number | null;
  managed_department_id: number | null;
};

/** The employee's `users` row as an ORM read would select it (plain SQL: the raw pool on MySQL). */
async function employeeRow(em: Em, id: number): Promise<UserRow | undefined> {
  userColumns ??= em
    .getMetadata()
    .get(User)
    .props.filter((prop) => prop.persist !== false && (prop.kind === 'scalar' || prop.kind === 'm:1'))
    .flatMap((prop) => prop.fieldNames)
    .join(', ');
  return (await query<UserRow>(em, `select ${userColumns} from users where id = ?`, [id]))[0];
}

/**
 * The managed `User` of `row` in `em` (the request's EntityManager): the one already loaded there
 * if a handler read it first (a `findOne` would have returned that one too), else the row mapped
 * by the ORM (`em.map`: the result mapping and merge a `findOne` ends with).
 */
function userEntity(em: Em, row: UserRow): IUser {
  return (em.getUnitOfWork().getById<IUser>(User, Number(row.id)) as IUser | undefined) ?? em.map(User, row);
}

/**
 * The employee `id` as a managed `User` of `em`, or null: one plain read mapped by the ORM. A
 * `findOne` builds its query through the ORM's filters, populate planning and query builder; that
 * was the largest share of the garbage and CPU of HR's hot reads (BENCHMARKS.md, api), for a row
 * read by primary key.
 */
export async function employeeOf(em: Em, id: number): Promise<IUser | null> {
  const row = await employeeRow(em, id);
  return row ? userEntity(em, row) : null;
}

/** A JSON column's value: parsed by the driver (MySQL's JSON type) or still text (MariaDB, SQLite). */
function jsonColumn<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

/**
 * The actor of an employee's `users` row. `user`, the managed entity, is made when first read:
 * mapping it forks the request's EntityManager (a unit of work and its maps), which a handler
 * that never reads it (HR's board, in plain SQL) does not need. Read within the request as
 * before, so it lands in the request's EntityManager; its columns are the row's as read here.
 */
function employeeActor(em: Em, row: UserRow): Actor {
  let user: IUser | undefined;
  return {
    kind: 'employee',
    id: Number(row.id),
    get user(): IUser {
      user ??= userEntity(em, row);
      return user;
    },
    roles: jsonColumn<EmployeeRole[]>(row.roles),
    // A manager hires for the department an admin chose, else their own DingTalk department.
    departmentId:
      row.managed_department_id !== null
        ? Number(row.managed_department_id)
        : row.department_id !== null
          ? Number(row.department_id)
          : null,
  };
}

/** Loads and checks the principal of `claims` now (the check `requireAuth` makes). */
async function authenticate(ctx: AppContext, claims: SessionClaims): Promise<void> {
  const em = ctx.deps.orm.em;
  if (claims.kind === 'employee') {
    const row = await employeeRow(em, claims.id);
    if (!row || !sqlBool(row.active))
      throw unauthorized('session_invalid', 'This account is no longer active');
    if ((claims.generation ?? 0) !== Number(row.session_generation))
      throw unauthorized('session_revoked', 'This session has ended; please sign in again');
    setActor(ctx, employeeActor(em, row));
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
