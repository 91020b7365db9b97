/**
 * DingTalk recruitment (钉钉招聘, ATS) in both directions, through the real `ats_1_0` SDK:
 *
 * - In: HR gives the mobiles of candidates in DingTalk recruitment; each is looked up with
 *   `getCandidateByPhoneNumber` and brought in as our candidate (source `dingtalk_recruit`),
 *   merged by the same-person rules when we already have them. DingTalk's documented ATS API has
 *   no call that returns a résumé's text or file, so the résumé itself comes through the upload
 *   (HR's, on the import screen's row, or the candidate's own), which checks and extracts it like any
 *   other. Fields marked UNCONFIRMED below follow the SDK's types and DingTalk's examples but have
 *   not been checked against a real 钉钉招聘 tenant.
 * - Out: when a live round (second round) is booked, the AI-interview reports of the application
 *   and the résumé text go to DingTalk's AI interview assistant
 *   (`/v1.0/ats/ai/interview/interviewInfos/sync`) so the interviewer has them in the meeting.
 */
import { displayMobile, normaliseMobile } from '../../../shared/api/candidates';
import type { AtsImportRowView } from '../../../shared/api/resumes';
import { type AuditContext, audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import { Booking } from '../../kernel/db/entities/Booking';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { Resume } from '../../kernel/db/entities/Resume';
import { InterviewReport } from '../../kernel/db/entities/Scoring';
import type { Em } from '../../kernel/db/orm';
import type { Actor } from '../../kernel/http/context';
import type { AiInterviewSync, DingTalk } from '../../kernel/integrations/dingtalk';
import { existingByKey, type PersonInput, upsertPerson, withMergeRetry } from '../candidates';

/**
 * The résumé text sent to the assistant is cut here (the assistant reads a summary, not a book).
 * Our choice: the largest `resumeContent` DingTalk accepts is UNCONFIRMED (not documented).
 */
export const ATS_RESUME_MAX_CHARS = 8000;

/** What happened to one mobile of an import. */
export type AtsImportRow = AtsImportRowView;

/**
 * Imports candidates of DingTalk recruitment by mobile. Lookups run one after another (the
 * client retries throttled calls); the rows are written in one transaction at the end, merged
 * into existing candidates with the same mobile. An ATS refusal (no permission, quota) throws
 * before anything is written.
 */
export async function importFromAts(p: {
  em: Em;
  dingtalk: DingTalk;
  actor: Actor;
  mobiles: string[];
  context: AuditContext;
}): Promise<AtsImportRow[]> {
  const rows: AtsImportRow[] = [];
  const found: Array<{ row: AtsImportRow; input: PersonInput }> = [];
  const seen = new Set<string>();
  for (const raw of p.mobiles) {
    const e164 = normaliseMobile(raw);
    if (!e164) {
      rows.push({ mobile: raw, status: 'invalid', candidateId: null, atsCandidateId: null, name: null });
      continue;
    }
    if (seen.has(e164)) continue;
    seen.add(e164);
    // DingTalk's example phone numbers are the 11 mainland digits, without +86 (UNCONFIRMED: how a
    // number stored with +86, or a non-mainland one, is matched is not documented).
    const hit = await p.dingtalk.ats.candidateByPhone(displayMobile(e164));
    const row: AtsImportRow = {
      mobile: displayMobile(e164),
      status: hit ? 'created' : 'not_found',
      candidateId: null,
      atsCandidateId: hit?.candidateId ?? null,
      // UNCONFIRMED against a real tenant: whether `name` is always returned (an empty one falls back to the mobile).
      name: hit?.name || null,
    };
    rows.push(row);
    if (hit)
      found.push({
        row,
        input: {
          name: hit.name || displayMobile(e164),
          mobile: e164,
          email: null,
          source: 'dingtalk_recruit',
          referrer: null,
        },
      });
  }
  if (found.length)
    await withMergeRetry(p.em, async (tx) => {
      const known = await existingByKey(
        tx,
        found.map((f) => f.input),
      );
      const made = found.map((f) => upsertPerson(tx, known, f.input, p.actor.id));
      await tx.flush();
      made.forEach((m, i) => {
        found[i].row.candidateId = m.candidate.id;
        found[i].row.status = m.merged ? 'merged' : 'created';
      });
      audit(
        tx,
        p.actor,
        'resume.ats_imported',
        { type: 'candidate_import', id: null },
        {
          rows: found.map((f) => ({
            candidateId: f.row.candidateId,
            atsCandidateId: f.row.atsCandidateId,
            status: f.row.status,
          })),
          notFound: rows.filter((r) => r.status === 'not_found').length,
        },
        p.context,
      );
      await tx.flush();
    });
  return rows;
}

/** The evaluation text of one AI-interview report, as an interviewer would read it. */
export function reportText(r: {
  overall?: number | null;
  competencies: Array<{ name: string; score: number; evidence: Array<{ quote?: string }> }>;
  strengths: string[];
  gaps: Array<{ competency: string; text: string }>;
  recommendation: string;
}): string {
  const lines = [`AI 面试综合分 ${r.overall ?? '—'}（建议：${r.recommendation}，仅供参考，由面试官决定）`];
  for (const c of r.competencies) {
    const quote = c.evidence.find((e) => e.quote)?.quote;
    lines.push(`${c.name}：${c.score}${quote ? `，依据：「${quote}」` : ''}`);
  }
  if (r.strengths.length) lines.push(`优势：${r.strengths.join('；')}`);
  if (r.gaps.length) lines.push(`待考察：${r.gaps.map((g) => `${g.competency}（${g.text}）`).join('；')}`);
  return lines.join('\n');
}

/**
 * Builds what the AI interview assistant receives for a booked live round, or null when there
 * is nothing to send (not a live round, cancelled, no AI-interview report yet).
 */
export async function aiInterviewSyncFor(em: Em, bookingId: number): Promise<AiInterviewSync | null> {
  const booking = await em.findOne(Booking, { id: bookingId }, { populate: ['interviewer'] });
  if (booking?.kind !== 'second_round' || booking.status === 'cancelled') return null;
  const app = await em.findOneOrFail(Application, { id: booking.application.id });
  const [candidate, job, reports, resume] = await Promise.all([
    em.findOneOrFail(Candidate, { id: app.candidate.id }),
    em.findOneOrFail(Job, { id: app.job.id }),
    // A candidate who chose a person-only review has no AI evaluation to pass on.
    em.find(
      InterviewReport,
      { application: app.id, status: { $ne: 'person_only' } },
      { orderBy: { id: 'asc' } },
    ),
    em.findOne(Resume, { candidate: app.candidate.id, status: 'parsed' }, { orderBy: { id: 'desc' } }),
  ]);
  if (!reports.length) return null;
  const interviewer = booking.interviewer;
  return {
    interviewId: `booking-${booking.id}`,
    // Not documented; the assistant is told what kind of meeting it joins (UNCONFIRMED values).
    interviewType: 'video',
    start: booking.startAt,
    end: booking.endAt,
    candidate: {
      bizCandidateId: String(candidate.id),
      name: candidate.name,
      phone: candidate.mobile ?? null,
      resumeContent: resume?.text ? resume.text.slice(0, ATS_RESUME_MAX_CHARS) : null,
      history: reports.map((r, i) => ({
        historyInterviewId: `report-${r.id}`,
        // UNCONFIRMED: whether `rounds` counts from 1 and is free text (documented as a string).
        rounds: String(i + 1),
        canViewUserIds: interviewer ? [interviewer.dingtalkUserId] : [],
        // The AI interview has no human interviewer; the id says who wrote the evaluation
        // (UNCONFIRMED: DingTalk may expect a real userId here and refuse or drop this one).
        evaluations: [{ interviewerUserId: 'ai-interview', content: reportText(r) }],
      })),
    },
    interviewers: interviewer
      ? [{ id: interviewer.dingtalkUserId, name: interviewer.name, position: interviewer.title ?? null }]
      : [],
    job: {
      name: job.title,
      content: [job.description, job.requirements].filter((x) => x.trim()).join('\n\n'),
      hireCount: job.headcount,
    },
  };
}

/**
 * Consumer of `booking.created` / `booking.rescheduled`: pushes the live round and the AI-interview
 * results to DingTalk (when `DINGTALK_ATS_SYNC=on`). Throws on a DingTalk failure so the outbox
 * retries; a sync repeated after a reschedule replaces the interview's times in DingTalk.
 */
export async function syncLiveRoundToAts(em: Em, dingtalk: DingTalk, bookingId: number): Promise<boolean> {
  const payload = await aiInterviewSyncFor(em, bookingId);
  if (!payload) return false;
  await dingtalk.ats.syncAiInterview(payload);
  audit(
    em,
    null,
    'resume.ats_synced',
    { type: 'booking', id: bookingId },
    {
      candidateId: Number(payload.candidate.bizCandidateId),
      reports: payload.candidate.history.length,
      resumeChars: payload.candidate.resumeContent?.length ?? 0,
    },
  );
  await em.flush();
  return true;
}
