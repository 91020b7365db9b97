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
import { dialectOf, query, sqlDate, write } from '../db/tx';
import type { Deps } from '../deps';
import { rateLimited } from '../errors';
import { defineJob } from '../jobs/registry';
import { actorOf } from './auth';
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
  checkRule(rule);
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  const windowEnd = windowStart + rule.windowMs;
  const params = [bucketKey(rule, subject), sqlDate(em, windowStart), sqlDate(em, windowEnd)];
  // An autocommit statement chosen as a deadlock victim was rolled back whole, so running it
  // again counts the hit exactly once.
  const hits = await retryOnDeadlock(async () => {
    if (dialectOf(em) === 'sqlite') {
      const rows = await query<{ hits: number }>(
        em,
        `insert into rate_limit_buckets (bucket, window_start, hits, expires_at) values (?, ?, 1, ?)
         on conflict (bucket, window_start) do update set hits = hits + 1 returning hits`,
        params,
      );
      return Number(rows[0]?.hits);
    }
    const r = await write(
      em,
      `insert into rate_limit_buckets (bucket, window_start, hits, expires_at) values (?, ?, 1, ?)
       on duplicate key update hits = last_insert_id(hits + 1)`,
      params,
    );
    // 1 row affected: inserted (the table has no auto-increment, so insert id is 0); 2: updated.
    if (r.affectedRows === 1) return 1;
    if (r.insertId > 1) return r.insertId;
    throw new Error(`rate limit ${rule.name}: the server did not report the count (${JSON.stringify(r)})`);
  });
  if (!Number.isInteger(hits) || hits < 1) throw new Error(`rate limit ${rule.name}: bad count ${hits}`);
  return { hits, allowed: hits <= rule.limit, retryAfterSeconds: (windowEnd - now) / 1000 };
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
