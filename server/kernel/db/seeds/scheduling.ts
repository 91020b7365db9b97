import { InterviewerSchedule } from '../entities/InterviewerSchedule';
import { InterviewPlan } from '../entities/InterviewPlan';
import { Job } from '../entities/Job';
import { PlanInterviewer, PlanSchedule } from '../entities/PlanSchedule';
import { User } from '../entities/User';
import type { Em } from '../orm';
import { DEMO_INTERVIEWER_HOURS, DEMO_POOLS, weekdays } from './schedulingData';

/**
 * Demo scheduling rules: an AI interview window per job (weekday 09:00-21:00 and Saturday
 * mornings, 10 seats per 30-minute slot for a campus batch) and a live 45-minute second round
 * with the department's interviewers. Idempotent: existing rows are left as HR edited them.
 */
export async function seedScheduling(em: Em): Promise<{ schedules: number; interviewerHours: number }> {
  const result = { schedules: 0, interviewerHours: 0 };
  // Until the lead generates the booking migration, databases built from committed migrations
  // only (the browser-test stack) have no scheduling tables: seed the rest and skip this part.
  if (!(await schedulingTablesExist(em))) return result;
  for (const [userid, weekly] of Object.entries(DEMO_INTERVIEWER_HOURS)) {
    const user = await em.findOne(User, { dingtalkUserId: userid });
    if (!user || (await em.findOne(InterviewerSchedule, { user }))) continue;
    em.create(InterviewerSchedule, { user, timeZone: 'Asia/Shanghai', weeklyHours: weekly });
    result.interviewerHours++;
  }
  for (const [slug, pool] of Object.entries(DEMO_POOLS)) {
    const job = await em.findOne(Job, { slug });
    const plan = job ? await em.findOne(InterviewPlan, { job }) : null;
    if (!plan) continue;
    if (!(await em.findOne(PlanSchedule, { plan, kind: 'ai_interview' }))) {
      em.create(PlanSchedule, {
        plan,
        kind: 'ai_interview',
        sessionType: 'ai',
        durationMinutes: 30,
        capacityPerSlot: 10,
        horizonDays: 14,
        minNoticeMinutes: 60,
        rescheduleCutoffHours: 2,
        cancelCutoffHours: 2,
        maxReschedules: 2,
        timeZone: 'Asia/Shanghai',
        weeklyHours: {
          ...weekdays([['09:00', '21:00']]),
          '6': [{ start: '09:00', end: '12:00' }],
        },
        dateOverrides: [],
      });
      result.schedules++;
    }
    if (!(await em.findOne(PlanSchedule, { plan, kind: 'second_round' }))) {
      const schedule = em.create(PlanSchedule, {
        plan,
        kind: 'second_round',
        sessionType: 'live',
        durationMinutes: 45,
        stepMinutes: 30,
        capacityPerSlot: 1,
        horizonDays: 14,
        minNoticeMinutes: 12 * 60,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 15,
        dailyCapPerInterviewer: 4,
        rescheduleCutoffHours: 24,
        cancelCutoffHours: 12,
        maxReschedules: 2,
        timeZone: 'Asia/Shanghai',
        weeklyHours: {},
        dateOverrides: [],
      });
      for (const userid of pool) {
        const user = await em.findOne(User, { dingtalkUserId: userid });
        if (user) em.create(PlanInterviewer, { schedule, user });
      }
      result.schedules++;
    }
  }
  await em.flush();
  return result;
}

async function schedulingTablesExist(em: Em): Promise<boolean> {
  try {
    await em.execute('select 1 from plan_schedules where 1 = 0');
    await em.execute('select 1 from bookings where 1 = 0');
    return true;
  } catch {
    return false;
  }
}
