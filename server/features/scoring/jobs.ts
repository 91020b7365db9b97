/**
 * Scheduled refits of the model learned from ratings: every minute a worker checks whether
 * enough new ratings arrived ({@link REFIT_AFTER_RATINGS}), and every night the model is refitted
 * from all ratings on file (ratings changed or deleted with a candidate's data leave the model
 * at the latest by the next night). Each refit runs in its own transaction.
 */

import type { Deps } from '../../kernel/deps';
import { defineJob } from '../../kernel/jobs/registry';
import { categoryLogger } from '../../kernel/logger';
import { REFIT_AFTER_RATINGS, refitIfDue, refitModel } from './calibrationStore';

/** Refits after enough new ratings. */
export async function runRatingsRefit(deps: Pick<Deps, 'orm' | 'now'>) {
  const now = deps.now?.() ?? new Date();
  return deps.orm.em.fork().transactional((em) => refitIfDue(em, now));
}

/** The nightly refit. */
export async function runNightlyRefit(deps: Pick<Deps, 'orm' | 'now'>) {
  const now = deps.now?.() ?? new Date();
  return deps.orm.em.fork().transactional((em) => refitModel(em, { now, reason: 'nightly' }));
}

/** The scoring feature's jobs. */
export const scoringJobs = [
  defineJob({
    name: 'scoring.refit-on-ratings',
    role: 'worker',
    schedule: { cron: '20 * * * * *' },
    category: 'jobs',
    async run(deps) {
      const out = await runRatingsRefit(deps);
      if (out)
        categoryLogger(deps.logger, 'jobs').info(
          { version: out.version, status: out.status, ratings: out.ratings, after: REFIT_AFTER_RATINGS },
          'scoring model refitted after new ratings',
        );
    },
  }),
  defineJob({
    name: 'scoring.refit-nightly',
    role: 'worker',
    schedule: { cron: '40 2 * * *', timezone: 'Asia/Shanghai' },
    category: 'jobs',
    async run(deps) {
      const out = await runNightlyRefit(deps);
      if (out)
        categoryLogger(deps.logger, 'jobs').info(
          { version: out.version, status: out.status, ratings: out.ratings },
          'scoring model refitted (nightly)',
        );
    },
  }),
];
