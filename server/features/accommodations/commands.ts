/**
 * Accommodation requests: a candidate asks on one of their applications; HR grants (the
 * application's `InterviewAccommodation` then holds at least what was asked, which is what the
 * interview serves to that candidate only) or declines; the candidate is told either way.
 */
import { ACCOMMODATION_DUE_DAYS, type AccommodationRequestView } from '../../../shared/api/accommodations';
import { type AuditContext, audit } from '../../kernel/audit';
import type { Config } from '../../kernel/config';
import {
  AccommodationRequest,
  type IAccommodationRequest,
} from '../../kernel/db/entities/AccommodationRequest';
import { Application } from '../../kernel/db/entities/Application';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { InterviewAccommodation } from '../../kernel/db/entities/InterviewAccommodation';
import { Job } from '../../kernel/db/entities/Job';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { conflict, notFound } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { assertCan } from '../../kernel/policies';
import { queueCandidateMessage } from '../messaging';

/** A request as the API shows it. */
export async function presentRequest(em: Em, r: IAccommodationRequest): Promise<AccommodationRequestView> {
  const app = await em.findOneOrFail(Application, { id: r.application.id }, { populate: ['job'] });
  return {
    id: r.id,
    applicationId: app.id,
    jobTitle: app.job.title,
    extraTimePercent: r.extraTimePercent,
    extraRetakes: r.extraRetakes,
    audioOnly: r.audioOnly,
    note: r.note,
    status: r.status,
    dueAt: r.dueAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decisionNote: r.decisionNote ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * The candidate asks. Only on their own application (others' look unknown: 404); one pending
 * request per application (409 `request_open`); due for HR in {@link ACCOMMODATION_DUE_DAYS} days.
 */
export async function requestAccommodation(props: {
  em: Em;
  actor: Actor;
  body: {
    applicationId: number;
    extraTimePercent: number;
    extraRetakes: number;
    audioOnly: boolean;
    note: string;
  };
  now: Date;
  context: AuditContext;
}): Promise<IAccommodationRequest> {
  const { actor, body } = props;
  return props.em.transactional(async (em) => {
    const app = await em.findOne(Application, { id: body.applicationId });
    assertCan(actor, 'accommodation.request', { candidateId: app?.candidate.id ?? -1 }, 'Application');
    if (!app) throw notFound('Application');
    const open = await em.findOne(AccommodationRequest, { application: app, status: 'pending' });
    if (open) throw conflict('request_open', 'An accommodation request of this application is pending');
    const row = em.create(AccommodationRequest, {
      application: app,
      candidateId: app.candidate.id,
      extraTimePercent: body.extraTimePercent,
      extraRetakes: body.extraRetakes,
      audioOnly: body.audioOnly,
      note: body.note,
      dueAt: new Date(props.now.getTime() + ACCOMMODATION_DUE_DAYS * 86_400_000),
      decidedById: null,
      decidedAt: null,
      decisionNote: null,
    });
    await em.flush();
    audit(
      em,
      actor,
      'accommodation.requested',
      { type: 'accommodation_request', id: row.id },
      { applicationId: app.id },
      props.context,
    );
    return row;
  });
}

/**
 * HR decides. A grant raises the application's accommodation to at least what was asked (it
 * never lowers what HR set before); the decision is audited and the candidate told. A decided
 * request cannot be decided again (409 `already_decided`): two HR people clicking at once
 * produce one decision.
 */
export async function decideAccommodation(props: {
  em: Em;
  config: Pick<Config, 'notifications'>;
  actor: Actor;
  id: number;
  decision: 'grant' | 'decline';
  note: string;
  now: Date;
  context: AuditContext;
}): Promise<IAccommodationRequest> {
  assertCan(props.actor, 'accommodation.decide', undefined);
  return props.em.transactional(async (em) => {
    const req = await em.findOne(AccommodationRequest, { id: props.id });
    if (!req) throw notFound('Accommodation request');
    await applyDecision(em, props.config, req, {
      decision: props.decision,
      note: props.note,
      now: props.now,
      by: props.actor,
      byUserId: props.actor.id,
      context: props.context,
      via: 'app',
    });
    return req;
  });
}

/**
 * The outcome of a 便利安排 DingTalk approval, in the caller's transaction (the one recording the
 * approval's outcome): agreed grants the application's pending request, refused or withdrawn
 * declines it, with the approver's remark as the note the candidate reads. `deciderUserId` is
 * the approver's user id when they are known here. Returns null when no request is pending
 * any more (HR decided it in the app meanwhile: the app's decision stands, and is not redone).
 */
export async function decideAccommodationByApproval(
  em: Em,
  config: Pick<Config, 'notifications'>,
  props: {
    applicationId: number;
    decision: 'grant' | 'decline';
    remark: string | null;
    deciderUserId: number | null;
    approvalId: number;
    now: Date;
  },
): Promise<IAccommodationRequest | null> {
  const req = await em.findOne(AccommodationRequest, { application: props.applicationId, status: 'pending' });
  if (!req) return null;
  try {
    await applyDecision(em, config, req, {
      decision: props.decision,
      note: props.remark ?? '',
      now: props.now,
      by: props.deciderUserId ? ({ kind: 'employee', id: props.deciderUserId } as Actor) : null,
      byUserId: props.deciderUserId,
      via: 'approval',
      approvalId: props.approvalId,
    });
  } catch (err) {
    // Decided in the app between our read and the compare-and-set: that decision stands.
    if ((err as { code?: string }).code === 'already_decided') return null;
    throw err;
  }
  return req;
}

/** One decision: compare-and-set on the status, the grant, the audit row, the candidate's message. */
async function applyDecision(
  em: Em,
  config: Pick<Config, 'notifications'>,
  req: IAccommodationRequest,
  d: {
    decision: 'grant' | 'decline';
    note: string;
    now: Date;
    by: Actor | null;
    byUserId: number | null;
    context?: AuditContext;
    via: 'app' | 'approval';
    approvalId?: number;
  },
): Promise<void> {
  const status = d.decision === 'grant' ? 'granted' : 'declined';
  const decided = {
    status,
    decidedById: d.byUserId,
    decidedAt: d.now,
    decisionNote: d.note || null,
  } as const;
  // Compare-and-set on the status: only one decision wins.
  const won = await em.nativeUpdate(AccommodationRequest, { id: req.id, status: 'pending' }, decided);
  if (won === 0) throw conflict('already_decided', 'This request was already decided');
  Object.assign(req, decided);
  const app = await em.findOneOrFail(Application, { id: req.application.id });
  if (d.decision === 'grant') {
    const acc = await em.findOne(InterviewAccommodation, { application: app });
    const updatedBy = d.byUserId ? em.getReference(User, d.byUserId) : null;
    if (!acc)
      em.create(InterviewAccommodation, {
        application: app,
        extraTimePercent: req.extraTimePercent,
        extraRetakes: req.extraRetakes,
        audioOnlyAllowed: req.audioOnly,
        note: req.note,
        updatedBy,
      });
    else {
      acc.extraTimePercent = Math.max(acc.extraTimePercent, req.extraTimePercent);
      acc.extraRetakes = Math.max(acc.extraRetakes, req.extraRetakes);
      acc.audioOnlyAllowed = acc.audioOnlyAllowed || req.audioOnly;
      if (updatedBy) acc.updatedBy = updatedBy;
    }
  }
  audit(
    em,
    d.by,
    d.decision === 'grant' ? 'accommodation.granted' : 'accommodation.declined',
    { type: 'accommodation_request', id: req.id },
    {
      applicationId: app.id,
      note: d.note || null,
      via: d.via,
      ...(d.approvalId ? { approvalId: d.approvalId } : {}),
    },
    d.context,
  );
  const candidate = await em.findOneOrFail(Candidate, { id: req.candidateId });
  const job = await em.findOneOrFail(Job, { id: app.job.id });
  await queueCandidateMessage(em, config, candidate, {
    key: `accommodation:${req.id}:decided`,
    topic: 'accommodation.decided',
    aggregate: `application:${app.id}`,
    template: 'candidate.request_answered',
    data: {
      jobTitle: job.title,
      kind: 'accommodation',
      granted: d.decision === 'grant',
      answer: d.note,
    },
    dueAt: d.now,
  });
  await em.flush();
}
