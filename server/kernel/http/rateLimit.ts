/**
 * Rate limits held in the database, so the budget is shared by every web instance (an
 * in-process counter lets each of N instances allow the full budget).
 *
 * Fixed windows aligned to multiples of the window length (every instance computes the same
 * window from the clock, no coordination). One hit is one atomic statement, one round trip:
 * - SQLite: `INSERT ... ON CONFLICT DO UPDATE SET hits = hits + 1 RETURNING hits`.
 * - MySQL/MariaDB: `INSERT ... ON DUPLICATE KEY UPDATE hits = LAST_INSERT_ID(hits + 1)`: the
 *   server reports the incremented value as the statement's insert id, which is this hit's own
 *   count even when other instances increment the same row at the same moment (a SELECT after
 *   the write could see their hits too and refuse a request that was within the budget).
 *   MySQL 8 has no `INSERT ... RETURNING`; MariaDB's would not run on MySQL.
 * A hot route may count its hit inside its own transaction instead ({@link deferredRateLimit}):
 * the same statement, riding with that transaction's round trips and commit.
 * Expired windows are deleted by {@link rateLimitCleanupJob}.
 *
 * Buckets are keyed `<limit>:<subject kind>:<subject id>` ({@link actorSubject},
 * {@link ipSubject}), so an employee and a candidate with the same numeric id never share one.
 */
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Next } from 'koa';
import type { Em } from '../db/orm';
import { retryOnDeadlock } from '../db/retry';
import { dialectOf, query, type RunResult, sqlDate, type Tx, write } from '../db/tx';
import type { Deps } from '../deps';
import { type AppError, rateLimited } from '../errors';
import { defineJob } from '../jobs/registry';
import { actorOf, deferredSessionOf } from './auth';
import type { AppContext } from './context';

/** One limit: at most `limit` hits per subject in each window of `windowMs`. */
export interface RateLimitRule {
  /** Stable snake_case name; part of the bucket key (`signin`, `upload_grant`). */
  name: string;
  limit: number;
  windowMs: number;
}

/** Outcome of one counted hit. */
export interface RateLimitHit {
  /** Hits in this window including this one. */
  hits: number;
  allowed: boolean;
  /** Seconds until the window ends (when a refused caller may try again). */
  retryAfterSeconds: number;
}

/** Longest bucket key (the column's length); longer subjects are hashed. */
const BUCKET_LENGTH = 160;
const RULE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

function checkRule(rule: RateLimitRule): void {
  if (!RULE_NAME.test(rule.name)) throw new Error(`rate limit name must be snake_case: ${rule.name}`);
  if (!Number.isInteger(rule.limit) || rule.limit < 1)
    throw new Error(`rate limit ${rule.name}: limit must be a positive integer, got ${rule.limit}`);
  if (!Number.isInteger(rule.windowMs) || rule.windowMs < 1000)
    throw new Error(`rate limit ${rule.name}: windowMs must be an integer >= 1000, got ${rule.windowMs}`);
}

/** The bucket key of a subject under a rule (hashed when it would not fit the column). */
export function bucketKey(rule: RateLimitRule, subject: string): string {
  const key = `${rule.name}:${subject}`;
  if (key.length <= BUCKET_LENGTH) return key;
  return `${rule.name}:sha256:${createHash('sha256').update(subject).digest('hex')}`;
}

/** The statement that counts one hit, and how to read the count from what it returns. */
function hitStatement(
  dialect: 'mysql' | 'sqlite',
  rule: RateLimitRule,
  subject: string,
  date: (ms: number) => string | number,
  now: number,
): { sql: string; params: unknown[]; windowEnd: number } {
  checkRule(rule);
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  const windowEnd = windowStart + rule.windowMs;
  const params = [bucketKey(rule, subject), date(windowStart), date(windowEnd)];
  const sql =
    dialect === 'sqlite'
      ? `insert into rate_limit_buckets (bucket, window_start, hits, expires_at) values (?, ?, 1, ?)
         on conflict (bucket, window_start) do update set hits = hits + 1 returning hits`
      : `insert into rate_limit_buckets (bucket, window_start, hits, expires_at) values (?, ?, 1, ?)
         on duplicate key update hits = last_insert_id(hits + 1)`;
  return { sql, params, windowEnd };
}

/** The count a MySQL upsert reported (see the file comment). */
function mysqlCount(rule: RateLimitRule, r: RunResult): number {
  // 1 row affected: inserted (the table has no auto-increment, so insert id is 0); 2: updated.
  if (r.affectedRows === 1) return 1;
  if (r.insertId > 1) return r.insertId;
  throw new Error(`rate limit ${rule.name}: the server did not report the count (${JSON.stringify(r)})`);
}

function outcome(rule: RateLimitRule, hits: number, windowEnd: number, now: number): RateLimitHit {
  if (!Number.isInteger(hits) || hits < 1) throw new Error(`rate limit ${rule.name}: bad count ${hits}`);
  return { hits, allowed: hits <= rule.limit, retryAfterSeconds: (windowEnd - now) / 1000 };
}

/**
 * Counts one hit of `subject` against `rule` at instant `now` (ms) and says whether it is
 * within the budget. Refused hits are counted too; they do not extend the window.
 */
export async function countHit(
  em: Em,
  rule: RateLimitRule,
  subject: string,
  now: number,
): Promise<RateLimitHit> {
  const dialect = dialectOf(em);
  const { sql, params, windowEnd } = hitStatement(dialect, rule, subject, (ms) => sqlDate(em, ms), now);
  // An autocommit statement chosen as a deadlock victim was rolled back whole, so running it
  // again counts the hit exactly once.
  const hits = await retryOnDeadlock(async () =>
    dialect === 'sqlite'
      ? Number((await query<{ hits: number }>(em, sql, params))[0]?.hits)
      : mysqlCount(rule, await write(em, sql, params)),
  );
  return outcome(rule, hits, windowEnd, now);
}

/**
 * Counts one hit inside the caller's transaction `tx`: the same statement as {@link countHit},
 * so the budget is still shared by every instance, but it rides with the transaction's next
 * round trip and its COMMIT instead of costing a round trip and a commit of its own. The hit is
 * undone if `tx` rolls back.
 */
export async function countHitIn(
  tx: Tx,
  rule: RateLimitRule,
  subject: string,
  now: number,
): Promise<RateLimitHit> {
  const { sql, params, windowEnd } = hitStatement(tx.dialect, rule, subject, (ms) => tx.date(ms), now);
  const hits =
    tx.dialect === 'sqlite'
      ? Number((await tx.all<{ hits: number }>(sql, params))[0]?.hits)
      : mysqlCount(rule, await tx.run(sql, params));
  return outcome(rule, hits, windowEnd, now);
}

/**
 * Middleware: counts the request against `rule` for `subjectOf(ctx)` and answers 429 with
 * Retry-After once the budget of the current window is spent. Uses the app's clock
 * (`deps.now`), so expiry tests can move time.
 */
export function rateLimit(rule: RateLimitRule, subjectOf: (ctx: AppContext) => string) {
  checkRule(rule);
  return async (ctx: AppContext, next: Next) => {
    const now = (ctx.deps.now?.() ?? new Date()).getTime();
    const hit = await countHit(ctx.deps.orm.em, rule, subjectOf(ctx), now);
    if (!hit.allowed) throw rateLimited(hit.retryAfterSeconds);
    await next();
  };
}

/**
 * One request's hit against a rule, which its handler may count inside its own transaction
 * ({@link deferredRateLimit}). Counted at most once, whichever way.
 */
export class DeferredHit {
  private done = false;

  constructor(
    private readonly em: Em,
    readonly rule: RateLimitRule,
    readonly subject: string,
    readonly now: number,
  ) {}

  /** True once the hit is in the database (committed). */
  get counted(): boolean {
    return this.done;
  }

  /** Counts the hit on its own (autocommit; no-op once counted); 429 over the budget. */
  async count(): Promise<void> {
    if (this.done) return;
    const hit = await countHit(this.em, this.rule, this.subject, this.now);
    this.done = true;
    if (!hit.allowed) throw rateLimited(hit.retryAfterSeconds);
  }

  /**
   * Counts the hit inside `tx` and returns the 429 to answer when it is over the budget (the
   * caller commits first, so the refused hit still counts), else null. Call
   * {@link committed} once `tx` has committed; until then a failure counts it again on its own.
   */
  async countIn(tx: Tx): Promise<AppError | null> {
    if (this.done) return null;
    const hit = await countHitIn(tx, this.rule, this.subject, this.now);
    return hit.allowed ? null : rateLimited(hit.retryAfterSeconds);
  }

  /** The transaction that counted this hit ({@link countIn}) committed. */
  committed(): void {
    this.done = true;
  }
}

const deferred = new WeakMap<object, DeferredHit>();

/**
 * Middleware like {@link rateLimit} for a hot route whose handler counts the hit in its own
 * transaction (`deferredHitOf(ctx).countIn(tx)`), saving the hit's round trip and commit. The
 * rule is the same: every request that reaches it counts once, across instances. Whatever the
 * handler did not count (it failed first, or took a path without a transaction) is counted here
 * on its own, and a request over the budget is answered 429 as {@link rateLimit} would, even
 * when the handler failed for another reason.
 */
export function deferredRateLimit(rule: RateLimitRule, subjectOf: (ctx: AppContext) => string) {
  checkRule(rule);
  return async (ctx: AppContext, next: Next) => {
    const now = (ctx.deps.now?.() ?? new Date()).getTime();
    const hit = new DeferredHit(ctx.deps.orm.em, rule, subjectOf(ctx), now);
    deferred.set(ctx, hit);
    // A session check left to the handler (requireAuthDeferred) comes first: a refused session
    // answers 401 and counts nothing, as when the whole check ran before this middleware.
    const session = deferredSessionOf(ctx);
    try {
      await next();
    } catch (err) {
      await session?.ensure();
      // Over the budget the 429 wins, as when the hit is counted before the handler runs.
      await hit.count();
      throw err;
    }
    // A handler that returned without counting (it should not): counted now, and still refused.
    await session?.ensure();
    await hit.count();
  };
}

/** The request's hit that {@link deferredRateLimit} left to its handler (undefined without it). */
export function deferredHitOf(ctx: AppContext): DeferredHit | undefined {
  return deferred.get(ctx);
}

/** Subject of the signed-in actor: `employee:12`, `candidate:12` (needs `requireAuth` first). */
export function actorSubject(ctx: AppContext): string {
  const actor = actorOf(ctx);
  return `${actor.kind}:${actor.id}`;
}

/**
 * Subject of the client address: `ip:203.0.113.7`, or `ip:2001:db8:0:1::/64` for IPv6 (one
 * subscriber usually holds a whole /64, so single addresses would cost an attacker nothing).
 * `ctx.ip` comes from X-Forwarded-For only when the app trusts its proxy (`TRUST_PROXY`,
 * taking the entry `TRUST_PROXY_HOPS` from the right); otherwise it is the socket's peer.
 */
export function ipSubject(ctx: AppContext): string {
  return `ip:${clientAddress(ctx.ip)}`;
}

/** The address a client is limited by (see {@link ipSubject}); exported for tests. */
export function clientAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(ip)) return ip;
  const bare = ip.split('%')[0];
  if (!isIPv6(bare)) return ip || 'unknown';
  const [head, tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail takes two 16-bit groups.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array<string>(8 - width(left) - width(right)).fill('0');
  const groups = [...left, ...zeros, ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** Expired rows deleted per statement on MySQL (short locks; the job loops until done). */
const CLEANUP_BATCH = 5000;

/**
 * Deletes windows that ended before `now` (ms); returns how many rows went. On MySQL in
 * batches, so a flood of distinct subjects never makes one long-locking DELETE.
 */
export async function deleteExpiredBuckets(em: Em, now: number, batch = CLEANUP_BATCH): Promise<number> {
  const cutoff = sqlDate(em, now);
  if (dialectOf(em) === 'sqlite')
    return (await write(em, 'delete from rate_limit_buckets where expires_at <= ?', [cutoff])).affectedRows;
  let deleted = 0;
  for (;;) {
    const r = await write(em, 'delete from rate_limit_buckets where expires_at <= ? limit ?', [
      cutoff,
      batch,
    ]);
    deleted += r.affectedRows;
    if (r.affectedRows < batch) return deleted;
  }
}

/**
 * Scheduled job (declared as data for the job registry): every five minutes, delete ended
 * windows. Cheap (an index range on `expires_at`) and idempotent, so it may run on every
 * worker instance at once.
 */
export const rateLimitCleanupJob = defineJob({
  name: 'kernel.rate-limit-cleanup',
  role: 'worker',
  schedule: { cron: '*/5 * * * *' },
  async run(deps: Pick<Deps, 'orm' | 'now'>): Promise<{ deleted: number }> {
    const now = (deps.now?.() ?? new Date()).getTime();
    return { deleted: await deleteExpiredBuckets(deps.orm.em, now) };
  },
});
