import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * One fixed window of one rate limit for one subject (`signin:ip:203.0.113.7`,
 * `upload_grant:candidate:12`). Kept in the database, not process memory, so every web
 * instance counts against the same budget. A hit is one atomic upsert on the primary key
 * (see `server/kernel/http/rateLimit.ts`); windows start at multiples of the window length, so
 * all instances agree on them. Rows past `expiresAt` are deleted by the cleanup job.
 */
export const RateLimitBucket = defineEntity({
  name: 'RateLimitBucket',
  tableName: 'rate_limit_buckets',
  indexes: [{ properties: ['expiresAt'] }],
  properties: {
    /** `<limit name>:<subject kind>:<subject id>`. */
    bucket: p.string().length(160).primary(),
    windowStart: p.datetime(3).primary(),
    hits: p.integer(),
    /** End of the window; the cleanup job deletes rows past it. */
    expiresAt: p.datetime(3),
  },
});
/** Rate-limit bucket row. */
export type IRateLimitBucket = InferEntity<typeof RateLimitBucket>;
