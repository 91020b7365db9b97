import { Application } from '../entities/Application';
import { ReviewAssignment } from '../entities/Scoring';
import { User } from '../entities/User';
import type { Em } from '../orm';

/** Demo reviewers per department: the interviewer who reads and rates that team's AI reports. */
const DEMO_REVIEWERS: Record<number, string> = { 20: 'int01', 30: 'int03', 40: 'int04' };

/**
 * Assigns each demo application a reviewer from the job's department, so an interviewer signing
 * in to the demo sees the reports of "their" candidates. Idempotent (one row per pair).
 */
export async function seedReviewAssignments(em: Em): Promise<number> {
  let added = 0;
  const apps = await em.find(Application, {}, { populate: ['job.department'] });
  for (const app of apps) {
    const userid = DEMO_REVIEWERS[Number(app.job.department.dingtalkId)];
    const reviewer = userid ? await em.findOne(User, { dingtalkUserId: userid }) : null;
    if (!reviewer || (await em.findOne(ReviewAssignment, { application: app, reviewer }))) continue;
    em.create(ReviewAssignment, { application: app, reviewer, assignedById: null } as never);
    added++;
  }
  await em.flush();
  return added;
}
