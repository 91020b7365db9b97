import { Job } from '../entities/Job';
import { JobRules } from '../entities/JobRules';
import type { Em } from '../orm';

/** Hiring rules of the demo jobs (job slug -> rules). */
export const DEMO_JOB_RULES: Record<
  string,
  {
    pass: number;
    reject: number;
    approvers: string[];
    mode: 'AND' | 'OR';
    cc: string[];
    /** The job's own hiring-team group (high-score alerts); absent = the configured group. */
    group?: string;
  }
> = {
  // Engineering: HR and the hiring manager must both agree (会签); HR's colleague is copied.
  backend: { pass: 75, reject: 50, approvers: ['hr01', 'mgr01'], mode: 'AND', cc: ['hr02'] },
  pm: { pass: 72, reject: 50, approvers: ['hr01', 'mgr01'], mode: 'AND', cc: [] },
  // Sales hires fast: either HR or the sales manager may approve (或签).
  // Sales has its own hiring group in DingTalk.
  sales: {
    pass: 70,
    reject: 45,
    approvers: ['hr02', 'mgr02'],
    mode: 'OR',
    cc: ['hr01'],
    group: 'cid-demo-sales-team',
  },
};

/** Creates the demo jobs' rules once (idempotent by job). Returns how many were created. */
export async function seedJobRules(em: Em): Promise<number> {
  let n = 0;
  for (const [slug, r] of Object.entries(DEMO_JOB_RULES)) {
    const job = await em.findOne(Job, { slug });
    if (!job || (await em.findOne(JobRules, { job }))) continue;
    em.create(JobRules, {
      job,
      passThreshold: r.pass,
      rejectThreshold: r.reject,
      approverUserIds: r.approvers,
      approvalMode: r.mode,
      ccUserIds: r.cc,
      secondRoundProcessCode: null,
      offerProcessCode: null,
      hiringGroupConversationId: r.group ?? null,
    });
    n++;
  }
  return n;
}
