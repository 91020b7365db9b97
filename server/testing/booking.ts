/** Helpers shared by the booking tests (not used by the product). */

import type { Stage } from '../../shared/stages';
import { Job } from '../kernel/db/entities/Job';
import { PlanSchedule } from '../kernel/db/entities/PlanSchedule';
import { User } from '../kernel/db/entities/User';
import { issueSessionToken } from '../kernel/http/tokens';
import { newApplication, newCandidate } from './factories';
import type { TestApp } from './harness';

/** Monday 00:00 UTC (08:00 in Shanghai) at least `minDays` days after `from`. */
export function nextMonday(from: Date, minDays = 2): Date {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + minDays));
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/**
 * A session token valid for a week around the app's (test) clock, so tests can move the clock
 * across cutoffs without the session expiring. Sign-in itself is covered by the auth tests.
 */
export async function sessionToken(t: TestApp, kind: 'candidate' | 'employee', id: number): Promise<string> {
  const now = t.clock.now ?? new Date();
  const { token } = await issueSessionToken(
    t.config.session.secret,
    { kind, id, invitationJobId: null },
    14 * 24 * 60,
    new Date(now.getTime() - 7 * 86_400_000),
  );
  return token;
}

/** A session token for a candidate (as after an invitation sign-in). */
export function candidateToken(t: TestApp, candidateId: number): Promise<string> {
  return sessionToken(t, 'candidate', candidateId);
}

/** A session token for an employee by DingTalk userid. */
export async function employeeToken(t: TestApp, userid: string): Promise<string> {
  const u = await t.orm.em.fork().findOneOrFail(User, { dingtalkUserId: userid });
  return sessionToken(t, 'employee', u.id);
}

/** Creates `n` candidates with applications for a job at `stage`; returns ids and tokens. */
export async function makeApplicants(
  t: TestApp,
  jobSlug: string,
  n: number,
  stage: Stage = 'invited',
  prefix = 'race',
): Promise<Array<{ candidateId: number; applicationId: number; token: string }>> {
  const em = t.orm.em.fork();
  const job = await em.findOneOrFail(Job, { slug: jobSlug });
  // One flush for all of them: the race tests make 200 at a time, and a commit per row took
  // about 20 s of each MariaDB round before the race itself started.
  const rows = Array.from({ length: n }, (_, i) => {
    const c = newCandidate(em, { name: `${prefix}${i}` });
    const a = newApplication(em, {
      candidate: c,
      job,
      stage,
      deadlineAt: new Date(Date.now() + 60 * 86_400_000),
    });
    return { c, a };
  });
  await em.flush();
  return Promise.all(
    rows.map(async ({ c, a }) => ({
      candidateId: c.id,
      applicationId: a.id,
      token: await candidateToken(t, c.id),
    })),
  );
}

/**
 * Puts every seeded AI interview stage in `booked` mode. The demo's plans are taken any time,
 * where a booking only sets a reminder and holds no seat; tests of seats, windows and no-shows
 * need the booked windows those rules apply to.
 */
export async function useBookedWindows(t: TestApp): Promise<void> {
  await t.orm.em.fork().nativeUpdate(PlanSchedule, { kind: 'ai_interview' }, { takeMode: 'booked' });
}
