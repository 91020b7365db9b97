import type { Next } from 'koa';
import { rateLimited } from '../errors';
import type { AppContext } from './context';

/**
 * A fixed-window limiter keyed per caller (IP or user). Counts live in this process: with
 * several web instances the effective limit is per instance, which is acceptable for abuse
 * protection (the goal is to stop floods, not to meter precisely).
 */
export class RateLimiter {
  #windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a hit; returns seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const t = this.now();
    let w = this.#windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      w = { start: t, count: 0 };
      this.#windows.set(key, w);
      if (this.#windows.size > 50_000) this.#sweep(t);
    }
    w.count++;
    return w.count > this.limit ? (w.start + this.windowMs - t) / 1000 : 0;
  }

  #sweep(t: number): void {
    for (const [k, w] of this.#windows) if (t - w.start >= this.windowMs) this.#windows.delete(k);
  }
}

/** Middleware answering 429 with Retry-After when `keyOf(ctx)` exceeds the limiter. */
export function rateLimit(limiter: RateLimiter, keyOf: (ctx: AppContext) => string) {
  return async (ctx: AppContext, next: Next) => {
    const wait = limiter.hit(keyOf(ctx));
    if (wait > 0) throw rateLimited(wait);
    await next();
  };
}
