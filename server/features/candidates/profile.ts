/**
 * The interviewer-facing candidate profile: the candidate's applications the caller works on,
 * each with its stage, live booking and AI report (scores, the candidate's words they rest on,
 * the answers). Access is per application (`candidate.profile`): HR sees every application, the
 * job's hiring manager and its department's manager theirs, a reviewer only the applications
 * they are assigned to; someone who works on none of them gets 403 `candidate_profile_forbidden`.
 */
import type { CandidateProfileApplication, CandidateProfileResponse } from '../../../shared/api/candidates';
import { type AuditContext, audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import { Booking } from '../../kernel/db/entities/Booking';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import {
  AnswerTranscript,
  InterviewReport,
  ReportRating,
  ReviewAssignment,
} from '../../kernel/db/entities/Scoring';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { forbidden, notFound } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { can } from '../../kernel/policies';
import { presentCandidate } from './present';

/** Why `actor` may see an application (the first that applies), or null. */
function accessOf(
  actor: Actor,
  facts: { hiringManagerId: number | null; jobDepartmentId: number; assignedReviewerIds: number[] },
): CandidateProfileApplication['access'] | null {
  if (!can(actor, 'candidate.profile', facts)) return null;
  if (can(actor, 'hr.access', undefined)) return 'hr';
  if (facts.assignedReviewerIds.includes(actor.id)) return 'reviewer';
  return 'manager';
}

/**
 * Loads candidate `id`'s profile for `actor`: 403 `candidate_profile_forbidden` when the actor
 * works on none of their applications (or, not being HR, asks for an id that does not exist);
 * 404 for HR asking for an unknown id. The view is
 * audited (who read whose profile).
 */
export async function candidateProfile(p: {
  em: Em;
  actor: Actor;
  id: number;
  now: Date;
  context: AuditContext;
}): Promise<CandidateProfileResponse['profile']> {
  const { em, actor } = p;
  if (actor.kind !== 'employee') throw profileForbidden();
  const candidate = await em.findOne(Candidate, { id: p.id });
  // Only HR learns that an id does not exist: for anyone else an unknown id and someone else's
  // candidate get the same 403, so the profile cannot be used to probe which candidates exist.
  if (!candidate) throw can(actor, 'hr.access', undefined) ? notFound('Candidate') : profileForbidden();
  const apps = await em.find(Application, { candidate }, { orderBy: { id: 'asc' } });
  const appIds = apps.map((a) => a.id);
  const [jobs, assignments, bookings] = await Promise.all([
    em.find(Job, { id: { $in: [...new Set(apps.map((a) => a.job.id))] } }),
    em.find(ReviewAssignment, { application: { $in: appIds } }),
    em.find(
      Booking,
      { application: { $in: appIds }, status: { $ne: 'cancelled' } },
      { orderBy: { startAt: 'asc' } },
    ),
  ]);
  const visible: Array<{
    app: (typeof apps)[number];
    job: (typeof jobs)[number];
    access: CandidateProfileApplication['access'];
  }> = [];
  for (const app of apps) {
    const job = jobs.find((j) => j.id === app.job.id);
    if (!job) continue;
    const mine = bookings.filter((b) => b.application.id === app.id);
    const access = accessOf(actor, {
      hiringManagerId: job.hiringManager?.id ?? null,
      jobDepartmentId: job.department.id,
      // The same people `report.read` lets in: named reviewers and live bookings' interviewers.
      assignedReviewerIds: [
        ...assignments.filter((a) => a.application.id === app.id).map((a) => a.reviewer.id),
        ...mine.flatMap((b) => (b.interviewer ? [b.interviewer.id] : [])),
      ],
    });
    if (access) visible.push({ app, job, access });
  }
  // HR may open anyone, even a candidate not yet invited anywhere; the rest of the team only
  // through an application they work on.
  if (!visible.length && !can(actor, 'hr.access', undefined)) throw profileForbidden();

  const reports = await em.find(
    InterviewReport,
    { application: { $in: visible.map((v) => v.app.id) } },
    { orderBy: { id: 'desc' } },
  );
  const sessionIds = reports.map((r) => r.sessionId);
  const [transcripts, myRatings] = await Promise.all([
    sessionIds.length
      ? em.find(AnswerTranscript, { sessionId: { $in: sessionIds } }, { orderBy: { position: 'asc' } })
      : [],
    reports.length
      ? em.find(ReportRating, { report: { $in: reports.map((r) => r.id) }, reviewer: actor.id })
      : [],
  ]);
  const interviewerIds = [...new Set(bookings.flatMap((b) => (b.interviewer ? [b.interviewer.id] : [])))];
  const interviewers = interviewerIds.length ? await em.find(User, { id: { $in: interviewerIds } }) : [];

  const applications = visible.map(({ app, job, access }): CandidateProfileApplication => {
    const next = bookings.find(
      (b) => b.application.id === app.id && b.status === 'booked' && b.endAt.getTime() > p.now.getTime(),
    );
    const report = reports.find((r) => r.application.id === app.id);
    const answers = report ? transcripts.filter((t) => t.sessionId === report.sessionId) : [];
    const questionOf = new Map(answers.map((t) => [t.answerId, t.questionText]));
    return {
      applicationId: app.id,
      jobId: job.id,
      jobTitle: job.title,
      stage: app.stage,
      stageChangedAt: app.stageChangedAt.toISOString(),
      access,
      booking: next
        ? {
            id: next.id,
            kind: next.kind,
            startAt: next.startAt.toISOString(),
            endAt: next.endAt.toISOString(),
            timeZone: next.timeZone,
            interviewerName: interviewers.find((u) => u.id === next.interviewer?.id)?.name ?? null,
          }
        : null,
      report: report
        ? {
            id: report.id,
            status: report.status,
            overall: report.overall ?? null,
            released: report.releasedAt !== null,
            competencies: report.competencies.map((c) => ({
              name: c.name,
              score: c.score,
              evidence: c.evidence.map((e) => ({
                quote: e.quote,
                question: questionOf.get(e.answerId) ?? null,
              })),
            })),
            answers: answers.map((t) => ({
              position: t.position,
              question: t.questionText,
              transcript: t.text ?? '',
            })),
            ratedByMe: myRatings.some((r) => r.report.id === report.id),
          }
        : null,
    };
  });

  audit(
    em,
    actor,
    'candidate.profile_viewed',
    { type: 'candidate', id: candidate.id },
    {
      applicationIds: applications.map((a) => a.applicationId),
    },
    p.context,
  );
  await em.flush();
  const { mobile } = presentCandidate(candidate, { showContact: can(actor, 'hr.access', undefined) });
  return { id: candidate.id, name: candidate.name, mobile, source: candidate.source, applications };
}

function profileForbidden() {
  return forbidden(
    'candidate_profile_forbidden',
    'Only the candidate’s assigned reviewers, the job’s hiring manager and HR can open this profile',
  );
}
