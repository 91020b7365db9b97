/**
 * Loading a live round and what its outline and scorecards are built from. Access is decided by
 * the policy table from the facts loaded here (the booking's interviewer, the job's hiring
 * manager); a stranger gets 403 (the route names a booking they may already know from a card).
 */
import type { OutlineResponse } from '../../../shared/api/liveround';
import type { ResumeProfile } from '../../../shared/api/resumes';
import { Application } from '../../kernel/db/entities/Application';
import { Booking, type IBooking } from '../../kernel/db/entities/Booking';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { InterviewPlan, InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { type IJob, Job } from '../../kernel/db/entities/Job';
import { Resume } from '../../kernel/db/entities/Resume';
import { InterviewReport } from '../../kernel/db/entities/Scoring';
import { type IUser, User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { forbidden, notFound } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { can, type PolicyAction } from '../../kernel/policies';
import { matchResume, requirementsOf } from '../resumes';
import { buildOutline, OUTLINE_RULES_VERSION, type OutlineInput } from './outline';

/** A second-round booking with the people its access depends on. */
export interface LiveRound {
  booking: IBooking;
  applicationId: number;
  candidateId: number;
  candidateName: string;
  job: IJob;
  interviewer: IUser | null;
  hiringManagerId: number | null;
}

/** Loads live round `bookingId` (404 when it is not a second-round booking). */
export async function loadLiveRound(em: Em, bookingId: number): Promise<LiveRound> {
  const booking = await em.findOne(Booking, { id: bookingId, kind: 'second_round' });
  if (!booking) throw notFound('Live interview');
  const application = await em.findOneOrFail(Application, { id: booking.application.id });
  const [candidate, job, interviewer] = await Promise.all([
    em.findOneOrFail(Candidate, { id: application.candidate.id }),
    em.findOneOrFail(Job, { id: application.job.id }),
    booking.interviewer ? em.findOne(User, { id: booking.interviewer.id }) : null,
  ]);
  return {
    booking,
    applicationId: application.id,
    candidateId: candidate.id,
    candidateName: candidate.name,
    job,
    interviewer,
    hiringManagerId: job.hiringManager?.id ?? null,
  };
}

/** Throws 403 unless `actor` may `action` the round. */
export function assertLiveRound(
  actor: Actor,
  action: Extract<PolicyAction, `liveround.${string}`>,
  r: LiveRound,
): void {
  const facts = { interviewerId: r.interviewer?.id ?? null, hiringManagerId: r.hiringManagerId };
  if (can(actor, action, facts)) return;
  if (action === 'liveround.rate')
    throw forbidden(
      'scorecard_forbidden',
      'Only the interviewer and the hiring manager rate this live round',
    );
  throw forbidden(
    'live_round_forbidden',
    'Only the interviewer, the hiring manager and HR open this live round',
  );
}

/** The plan's competencies with their indicators, in the order the questions name them. */
export async function planCompetencies(
  em: Em,
  jobId: number,
): Promise<Array<{ name: string; indicators: string[] }>> {
  const plan = await em.findOne(InterviewPlan, { job: jobId });
  if (!plan) return [];
  const questions = await em.find(
    InterviewQuestion,
    { plan, practice: false },
    { orderBy: { position: 'asc' } },
  );
  const out = new Map<string, string[]>();
  for (const q of questions) {
    for (const c of q.competencies) {
      const have = out.get(c) ?? [];
      for (const i of q.indicators?.[c] ?? []) if (!have.includes(i)) have.push(i);
      out.set(c, have);
    }
  }
  return [...out].map(([name, indicators]) => ({ name, indicators }));
}

/** The application's latest AI report (null: none yet). */
export function latestReport(em: Em, applicationId: number) {
  return em.findOne(InterviewReport, { application: applicationId }, { orderBy: { id: 'desc' } });
}

/** The competencies a scorecard rates: the plan's, then any only the AI report names. */
export async function scorecardCompetencies(em: Em, r: LiveRound): Promise<string[]> {
  const names = (await planCompetencies(em, r.job.id)).map((c) => c.name);
  const report = await latestReport(em, r.applicationId);
  for (const c of report?.competencies ?? []) if (!names.includes(c.name)) names.push(c.name);
  return names;
}

/** The most recent job of a parsed résumé: an open end first, then the latest start. */
function recentRole(profile: ResumeProfile): { employer: string | null; title: string | null } | null {
  const rank = (v: string | undefined) => (v === undefined ? '' : /present|至今|现在/i.test(v) ? '9999' : v);
  const sorted = [...profile.experience].sort(
    (a, b) =>
      rank(b.end?.value).localeCompare(rank(a.end?.value)) ||
      rank(b.start?.value).localeCompare(rank(a.start?.value)),
  );
  const e = sorted[0];
  return e ? { employer: e.employer?.value ?? null, title: e.title?.value ?? null } : null;
}

/** Builds the outline of a live round for `viewer` (in their language). */
export async function outlineOf(em: Em, r: LiveRound, viewer: IUser): Promise<OutlineResponse> {
  const language = viewer.locale?.startsWith('en') ? 'en' : 'zh';
  const requirements = requirementsOf(r.job);
  const [report, competencies, resume] = await Promise.all([
    latestReport(em, r.applicationId),
    planCompetencies(em, r.job.id),
    em.findOne(Resume, { candidate: r.candidateId, status: 'parsed' }, { orderBy: { id: 'desc' } }),
  ]);
  const profile = resume?.profile && resume.text ? resume.profile : null;
  const input: OutlineInput = {
    language,
    report: report
      ? {
          personOnly: report.status === 'person_only',
          competencies: report.competencies.map((c) => ({
            name: c.name,
            score: c.score,
            evidenceCount: c.evidence.length,
            missing: c.missing,
          })),
          gaps: report.gaps.map((g) => ({ competency: g.competency, text: g.text })),
        }
      : null,
    competencies,
    requirements,
    resume:
      profile && resume?.text
        ? {
            lines: matchResume(resume.text, profile, requirements, resume.createdAt).lines,
            recentRole: recentRole(profile),
          }
        : null,
  };
  return {
    bookingId: r.booking.id,
    applicationId: r.applicationId,
    candidateName: r.candidateName,
    jobTitle: r.job.title,
    startAt: r.booking.startAt.toISOString(),
    timeZone: r.booking.timeZone,
    interviewerName: r.interviewer?.name ?? null,
    language,
    basis: { report: report !== null, resume: input.resume !== null, requirements: requirements.length },
    rulesVersion: OUTLINE_RULES_VERSION,
    questions: buildOutline(input),
  };
}
