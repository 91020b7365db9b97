import { normaliseEmail, normaliseMobile } from '../../../../shared/api/candidates';
import { Application } from '../entities/Application';
import { Candidate } from '../entities/Candidate';
import { Department } from '../entities/Department';
import { InterviewPlan, InterviewQuestion } from '../entities/InterviewPlan';
import { Invitation } from '../entities/Invitation';
import { Job } from '../entities/Job';
import { OrgSettings } from '../entities/OrgSettings';
import { BankQuestion, type IBankQuestion } from '../entities/QuestionBank';
import { User } from '../entities/User';
import type { Em } from '../orm';
import {
  DEMO_CANDIDATES,
  DEMO_DEPARTMENTS,
  DEMO_EMPLOYEES,
  DEMO_JOBS,
  DEMO_ORG,
  DEMO_PRACTICE_QUESTION,
} from './demoCompany';
import { seedScheduling } from './scheduling';
import { seedReviewAssignments } from './scoring';
import { seedJobRules } from './workflowRules';

/** What the seed created (0s on a second run: it is idempotent). */
export interface SeedResult {
  departments: number;
  users: number;
  candidates: number;
  jobs: number;
  questions: number;
  /** Questions added to the company's question bank. */
  bankQuestions: number;
  invitations: number;
  applications: number;
}

/**
 * Writes the demo company. Every row is looked up by its natural key first, so running the
 * seed twice changes nothing; all of it commits in one transaction.
 */
export async function seedDemoCompany(rootEm: Em, now = new Date()): Promise<SeedResult> {
  const result: SeedResult = {
    departments: 0,
    users: 0,
    candidates: 0,
    jobs: 0,
    questions: 0,
    bankQuestions: 0,
    invitations: 0,
    applications: 0,
  };
  await rootEm.fork().transactional(async (em) => {
    const bank = await seedBankQuestions(em);
    result.bankQuestions = bank.added;
    if (!(await em.findOne(OrgSettings, { corpId: DEMO_ORG.corpId }))) {
      em.create(OrgSettings, { corpId: DEMO_ORG.corpId, name: DEMO_ORG.name });
    }
    const depts = new Map<number, InstanceType<typeof Department.class> | any>();
    for (const d of DEMO_DEPARTMENTS) {
      let row = await em.findOne(Department, { dingtalkId: d.dingtalkId });
      if (!row) {
        row = em.create(Department, {
          dingtalkId: d.dingtalkId,
          name: d.name,
          parent: d.parentDingtalkId ? depts.get(d.parentDingtalkId) : null,
        });
        result.departments++;
      }
      depts.set(d.dingtalkId, row);
    }
    const users = new Map<string, any>();
    for (const e of DEMO_EMPLOYEES) {
      let row = await em.findOne(User, { dingtalkUserId: e.userid });
      if (!row) {
        row = em.create(User, {
          dingtalkUserId: e.userid,
          unionId: e.unionid,
          name: e.name,
          mobile: e.mobile,
          title: e.title,
          department: depts.get(e.deptId),
          roles: e.roles,
        });
        result.users++;
      }
      users.set(e.userid, row);
    }
    const jobs = new Map<string, any>();
    for (const j of DEMO_JOBS) {
      let job = await em.findOne(Job, { slug: j.key });
      if (!job) {
        job = em.create(Job, {
          slug: j.key,
          title: j.title,
          description: j.description,
          department: depts.get(j.deptId),
          hiringManager: users.get(j.managerUserid),
        });
        result.jobs++;
        // Flush so the plan and question look-ups below query by a real id.
        await em.flush();
      }
      jobs.set(j.key, job);
      let plan = await em.findOne(InterviewPlan, { job });
      if (!plan) {
        plan = em.create(InterviewPlan, { job, name: `${j.title} · AI 初面` });
        await em.flush();
      }
      for (const [i, q] of j.questions.entries()) {
        const exists = await em.findOne(InterviewQuestion, { plan, position: i + 1 });
        if (!exists) {
          em.create(InterviewQuestion, {
            plan,
            position: i + 1,
            text: q.text,
            competencies: q.competencies,
            thinkSeconds: q.thinkSeconds,
            answerSeconds: q.answerSeconds,
            retakes: q.retakes,
            indicators: q.indicators ?? null,
            referenceAnswers: q.referenceAnswers ?? null,
            // The plan was built from the bank, as HR's plan builder would have done it.
            bankQuestion: bank.byKey.get(demoBankKey(j.key, i)) ?? null,
          });
          result.questions++;
        }
      }
      // Every demo plan starts with a practice question (position 0: before question 1).
      if (!(await em.findOne(InterviewQuestion, { plan, practice: true }))) {
        em.create(InterviewQuestion, {
          plan,
          position: 0,
          practice: true,
          weight: 0,
          ...DEMO_PRACTICE_QUESTION,
        });
        result.questions++;
      }
    }
    const hr = users.get('hr01');
    for (const c of DEMO_CANDIDATES) {
      let row = c.unionid
        ? await em.findOne(Candidate, { unionId: c.unionid })
        : await em.findOne(Candidate, { unionId: null, mobile: c.mobile });
      if (!row) {
        row = em.create(Candidate, {
          unionId: c.unionid,
          name: c.name,
          mobile: c.mobile,
          email: c.email,
          // The same keys HR's add and import use, so importing a seeded person merges.
          mobileKey: c.mobile ? normaliseMobile(c.mobile) : null,
          emailKey: c.email ? normaliseEmail(c.email) : null,
        });
        result.candidates++;
        await em.flush();
      }
      const job = jobs.get(c.job);
      const deadline = new Date(now.getTime() + 30 * 86_400_000);
      const existing = await em.findOne(Invitation, { candidate: row, job });
      if (!existing) {
        em.create(Invitation, { candidate: row, job, createdBy: hr, expiresAt: deadline });
        result.invitations++;
      }
      if (!(await em.findOne(Application, { candidate: row, job }))) {
        em.create(Application, { candidate: row, job, deadlineAt: existing?.expiresAt ?? deadline });
        result.applications++;
      }
    }
    await seedScheduling(em);
    await seedJobRules(em);
    await seedReviewAssignments(em);
  });
  return result;
}

/**
 * The empty start: only the organisation's settings row (its corpId), nothing else. People and
 * departments come from DingTalk ("sync now"); the first admin is DingTalk's main admin, made
 * admin + HR on their first sign-in. Idempotent.
 */
export async function seedEmptyOrganisation(rootEm: Em, corpId: string): Promise<void> {
  await rootEm.fork().transactional(async (em) => {
    // A starter question bank, like the built-in competency library: HR's first job can take
    // its plan from the bank without writing questions first. HR edits or archives them freely.
    await seedBankQuestions(em);
    if (await em.findOne(OrgSettings, { corpId })) return;
    em.create(OrgSettings, { corpId, name: corpId === DEMO_ORG.corpId ? DEMO_ORG.name : corpId });
  });
}

/** The bank key of the demo job's `index`th question (stable, so the seed finds it again). */
export function demoBankKey(jobKey: string, index: number): string {
  return `demo-${jobKey}-${index + 1}`;
}

/**
 * Puts the demo jobs' questions into the company's question bank (version 1 each, keyed by
 * {@link demoBankKey}). A key that exists in any version is left alone, so HR's later edits
 * and archiving survive a second run. Returns the latest version of each key and the count added.
 */
export async function seedBankQuestions(
  em: Em,
): Promise<{ added: number; byKey: Map<string, IBankQuestion> }> {
  const byKey = new Map<string, IBankQuestion>();
  let added = 0;
  for (const j of DEMO_JOBS) {
    for (const [i, q] of j.questions.entries()) {
      const key = demoBankKey(j.key, i);
      let row = await em.findOne(BankQuestion, { key }, { orderBy: { version: 'desc' } });
      if (!row) {
        row = em.create(BankQuestion, {
          key,
          version: 1,
          latest: true,
          archived: false,
          text: q.text,
          competencies: q.competencies,
          answerType: 'video',
          thinkSeconds: q.thinkSeconds,
          answerSeconds: q.answerSeconds,
          retakes: q.retakes,
          referenceAnswers: q.referenceAnswers ?? [],
          createdBy: null,
        } as never) as IBankQuestion;
        added++;
      }
      byKey.set(key, row);
    }
  }
  if (added) await em.flush();
  return { added, byKey };
}
