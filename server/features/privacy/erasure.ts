/**
 * Deletion requests (TRUST.md "Retention and deletion"): a candidate, or HR on their behalf,
 * asks for their personal data to be erased. The request is recorded at once (due within 30
 * days) and carried out by the `privacy-deletion` consumer on its next run (seconds later):
 *
 * - recordings and résumé files are deleted from the object store (résumé text and profiles too); transcripts, typed answers and the evidence
 *   quotes taken from them are removed (as the retention job does);
 * - provider copies: the DingTalk calendar events written for the candidate's live sessions are
 *   deleted from the interviewers' calendars; pending messages to the candidate are cancelled;
 *   what a provider keeps that has no deletion API (ASR task results, DingTalk approval
 *   instances, messages already delivered to chats) is listed in the summary with the reason;
 * - the candidate row is anonymised (name, mobile, e-mail, DingTalk unionId), demographic
 *   self-identification, accommodation notes and inbox messages are deleted, invitations are
 *   revoked and active bookings cancelled.
 *
 * What stays is what the organisation must keep about its decisions without naming the
 * person: stage history, scores, ratings, consent records and an audit tombstone. The summary
 * names no personal data. Running the erasure again finds nothing left to remove.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { DeletionRequestView } from '../../../shared/api/privacy';
import { audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import { Approval } from '../../kernel/db/entities/Approval';
import { Booking } from '../../kernel/db/entities/Booking';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { DeletionRequest, type IDeletionRequest } from '../../kernel/db/entities/DeletionRequest';
import { DemographicSelfId } from '../../kernel/db/entities/DemographicSelfId';
import { HireOutcome } from '../../kernel/db/entities/HireOutcome';
import { InboxMessage } from '../../kernel/db/entities/InboxMessage';
import { InterviewAccommodation } from '../../kernel/db/entities/InterviewAccommodation';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { AnswerTranscript } from '../../kernel/db/entities/Scoring';
import type { Em } from '../../kernel/db/orm';
import { conflict } from '../../kernel/errors';
import { emit } from '../../kernel/events';
import { PermanentError } from '../../kernel/events/consume';
import { EVENT_CHANNEL } from '../../kernel/events/emit';
import type { DomainEvent } from '../../kernel/events/types';
import type { Actor } from '../../kernel/http/context';
import type { DingTalkCalendar } from '../../kernel/integrations/dingtalk/calendar';
import type { ObjectStore } from '../../kernel/integrations/storage';
import { cancelPending } from '../../kernel/outbox/enqueue';
import { clearScorecardNotes } from '../liveround';
import { eraseResumes } from '../resumes';
import { purgeOne } from './retention';

/** Name of the consumer that carries out deletion requests. */
export const PRIVACY_DELETION_CONSUMER = 'privacy-deletion';

/** A deletion request must be carried out within this many days (TRUST.md). */
export const DELETION_DUE_DAYS = 30;

/**
 * Records a deletion request for a candidate and queues the erasure. One open request per
 * person: asking again while one is pending returns it (`created: false`).
 */
export async function requestDeletion(
  em: Em,
  props: {
    candidateId: number;
    actor: Actor;
    reason?: string | null;
    now?: Date;
    context?: { ip?: string | null; requestId?: string | null };
  },
): Promise<{ request: IDeletionRequest; created: boolean }> {
  const now = props.now ?? new Date();
  const open = () => em.fork().findOne(DeletionRequest, { activeKey: String(props.candidateId) });
  const existing = await open();
  if (existing) return { request: existing, created: false };
  try {
    const request = await em.fork().transactional(async (tx) => {
      const candidate = await tx.findOne(Candidate, { id: props.candidateId });
      if (!candidate) throw conflict('candidate_gone', 'This candidate no longer exists');
      const row = tx.create(DeletionRequest, {
        candidate,
        requestedBy: props.actor.kind === 'candidate' ? 'candidate' : `employee:${props.actor.id}`,
        reason: props.reason ?? null,
        activeKey: String(props.candidateId),
        requestedAt: now,
        dueBy: new Date(now.getTime() + DELETION_DUE_DAYS * 86_400_000),
      });
      await tx.flush();
      await emit(tx, {
        type: 'privacy.deletion_requested',
        key: `deletion:${row.id}:requested`,
        aggregate: `candidate:${props.candidateId}`,
        actor: { kind: props.actor.kind, id: props.actor.id },
        data: { requestId: row.id, candidateId: props.candidateId },
      });
      audit(
        tx,
        props.actor,
        'privacy.deletion_requested',
        { type: 'candidate', id: props.candidateId },
        { requestId: row.id, dueBy: row.dueBy.toISOString() },
        props.context,
      );
      return row;
    });
    return { request, created: true };
  } catch (err) {
    // Two requests at the same moment: the other one won; return it.
    if (err instanceof UniqueConstraintViolationException) {
      const winner = await open();
      if (winner) return { request: winner, created: false };
    }
    throw err;
  }
}

/** What the erasure did, without personal data (stored on the request and in the audit log). */
export interface ErasureSummary {
  applications: number;
  recordingsDeleted: number;
  bookingsCancelled: number;
  calendarEventsDeleted: number;
  messagesCancelled: number;
  inboxMessagesDeleted: number;
  invitationsRevoked: number;
  demographicsDeleted: boolean;
  accommodationsDeleted: number;
  /** Résumé files deleted from the object store (text and parsed profiles cleared too). */
  resumeFilesDeleted: number;
  /** Copies held by providers that this product cannot delete, and why. */
  retainedElsewhere: Array<{ provider: string; what: string; why: string }>;
}

/**
 * Carries out one deletion request (the `privacy-deletion` consumer's handler). Runs in the
 * consumer's transaction; outside deletions (objects, calendar events) come first and treat an
 * already-missing item as deleted, so a retry after a crash finishes the job.
 */
export async function eraseCandidate(
  em: Em,
  deps: { storage: ObjectStore; calendar: DingTalkCalendar },
  requestId: number,
  now = new Date(),
): Promise<ErasureSummary | null> {
  const request = await em.findOne(DeletionRequest, { id: requestId }, { populate: ['candidate'] });
  if (!request) throw new PermanentError(`deletion request ${requestId} does not exist`);
  if (request.status === 'done') return null;
  const candidateId = request.candidate.id;
  const summary: ErasureSummary = {
    applications: 0,
    recordingsDeleted: 0,
    bookingsCancelled: 0,
    calendarEventsDeleted: 0,
    messagesCancelled: 0,
    inboxMessagesDeleted: 0,
    invitationsRevoked: 0,
    demographicsDeleted: false,
    accommodationsDeleted: 0,
    resumeFilesDeleted: 0,
    retainedElsewhere: [],
  };
  const applications = await em.find(Application, { candidate: candidateId });
  summary.applications = applications.length;
  const appIds = applications.map((a) => a.id);

  // Provider copies first: the interviewers' calendar events name the candidate.
  const bookings = appIds.length ? await em.find(Booking, { application: { $in: appIds } }) : [];
  for (const b of bookings) {
    if (b.calendarEventId && b.calendarOwner) {
      await deps.calendar.deleteEvent(b.calendarOwner, b.calendarEventId);
      b.calendarEventId = null;
      b.calendarOwner = null;
      summary.calendarEventsDeleted++;
    }
    if (b.status === 'booked') {
      b.status = 'cancelled';
      b.activeKey = null;
      b.cancelReason = 'deletion_request';
      b.cancelledAt = now;
      b.version += 1;
      summary.bookingsCancelled++;
    }
  }
  await em.flush();

  // Which speech-recognition providers saw recordings (read before the purge clears them).
  const asrProviders = appIds.length
    ? [
        ...new Set(
          (await em.find(AnswerTranscript, { applicationId: { $in: appIds } }, { fields: ['provider'] })).map(
            (t) => t.provider,
          ),
        ),
      ]
    : [];
  // Messages about the person that already reached someone's chat (cannot be recalled).
  const aggregates = [...bookings.map((b) => `booking:${b.id}`), ...appIds.map((id) => `application:${id}`)];
  const delivered = await em.count(OutboxMessage, {
    status: 'sent',
    channel: { $ne: EVENT_CHANNEL },
    $or: [
      { recipientKind: 'candidate', recipientId: String(candidateId) },
      ...(aggregates.length ? [{ aggregate: { $in: aggregates } }] : []),
    ],
  });

  // Recordings, transcripts, typed answers, evidence: as retention does.
  for (const a of applications) {
    summary.recordingsDeleted += await purgeOne(em, deps.storage, a.id, 'deletion_request');
    a.purgedAt = a.purgedAt ?? now;
  }

  // Résumés: the files, their text and the parsed profiles.
  summary.resumeFilesDeleted = await eraseResumes(em, deps.storage, candidateId);
  // Live-round scorecards: the interviewers' notes about the person (the scores stay).
  await clearScorecardNotes(em, appIds);

  // Messages: nothing more goes out to or about this person.
  for (const b of bookings) summary.messagesCancelled += await cancelPending(em, `booking:${b.id}`);
  for (const id of appIds) summary.messagesCancelled += await cancelPending(em, `application:${id}`);
  summary.messagesCancelled += await em.nativeUpdate(
    OutboxMessage,
    { recipientKind: 'candidate', recipientId: String(candidateId), status: 'pending' },
    { status: 'cancelled', leaseOwner: null, leaseUntil: null },
  );
  summary.inboxMessagesDeleted = await em.nativeDelete(InboxMessage, { candidate: candidateId });
  summary.invitationsRevoked = await em.nativeUpdate(
    Invitation,
    { candidate: candidateId, revokedAt: null },
    { revokedAt: now },
  );
  summary.demographicsDeleted = (await em.nativeDelete(DemographicSelfId, { candidate: candidateId })) > 0;
  summary.accommodationsDeleted = appIds.length
    ? await em.nativeDelete(InterviewAccommodation, { application: { $in: appIds } })
    : 0;
  // What DingTalk's HR said of a hired candidate (their employee userid, probation, grades): the
  // next sync finds nobody (the mobile is gone) and keeps only "not found".
  if (appIds.length) await em.nativeDelete(HireOutcome, { application: { $in: appIds } });

  // The person: anonymised, not deleted (decisions and scores still refer to the row).
  const c = request.candidate;
  c.name = `已删除的候选人 #${candidateId}`;
  c.mobile = null;
  c.email = null;
  c.unionId = null;
  // Sessions end with the erasure: a token issued before it is refused on its next request, so
  // nobody can write new personal data for the erased person.
  c.sessionGeneration += 1;

  // What providers keep that this product cannot delete.
  for (const provider of asrProviders)
    summary.retainedElsewhere.push({
      provider,
      what: 'speech recognition task results',
      why: 'recordings were shared as short-lived signed URLs; the provider offers no deletion call and expires task results itself',
    });
  const approvals = appIds.length ? await em.count(Approval, { application: { $in: appIds } }) : 0;
  if (approvals > 0)
    summary.retainedElsewhere.push({
      provider: 'dingtalk',
      what: `${approvals} approval instance(s)`,
      why: 'DingTalk approval records cannot be deleted through the API; an admin can delete them in the DingTalk console',
    });
  if (delivered > 0)
    summary.retainedElsewhere.push({
      provider: 'dingtalk',
      what: `${delivered} chat message(s) already delivered`,
      why: 'delivered robot and work-notice messages stay in the recipients’ chats',
    });

  request.status = 'done';
  request.activeKey = null;
  request.completedAt = now;
  request.summary = summary as unknown as Record<string, unknown>;
  audit(em, null, 'privacy.erased', { type: 'candidate', id: candidateId }, {
    requestId,
    ...summary,
  } as unknown as Record<string, unknown>);
  await em.flush();
  return summary;
}

/** The consumer's handler for one `privacy.deletion_requested` event. */
export async function handleDeletionEvent(
  event: DomainEvent<'privacy.deletion_requested'>,
  em: Em,
  deps: { storage: ObjectStore; calendar: DingTalkCalendar },
): Promise<void> {
  const requestId = Number(event.data.requestId);
  if (!Number.isInteger(requestId)) throw new PermanentError(`event ${event.key} names no request`);
  await eraseCandidate(em, deps, requestId);
}

/** A deletion request as the API shows it. */
export function presentDeletionRequest(r: IDeletionRequest): DeletionRequestView {
  return {
    id: r.id,
    status: r.status,
    requestedAt: r.requestedAt.toISOString(),
    dueBy: r.dueBy.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
    summary: r.summary ?? null,
  };
}
