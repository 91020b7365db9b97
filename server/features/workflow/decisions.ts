/**
 * What people decide on an application: HR (advance, reject, ask for approvals, mark the second
 * round done, hire) and the candidate (answer the offer). Each is one transaction: the
 * compare-and-swap transition, its audit row and events, and any follow-up work queued.
 */
import type { DecisionBody } from '../../../shared/api/workflow';
import type { ReportReadyData } from '../../../shared/events';
import { audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { Approval } from '../../kernel/db/entities/Approval';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import type { Em, Orm } from '../../kernel/db/orm';
import { conflict, notFound } from '../../kernel/errors';
import { emit } from '../../kernel/events';
import type { Actor } from '../../kernel/http/context';
import type { DingTalk } from '../../kernel/integrations/dingtalk';
import { DingTalkError } from '../../kernel/integrations/dingtalk/errors';
import { requestApproval } from './approvals';
import { rejectionFeedback } from './forms';
import { hrActor, SYSTEM, transition } from './transition';

/** Async consumers of the workflow's own follow-up events. */
export const PREENTRY_CONSUMER = 'workflow.preentry';
/** Withdraws DingTalk approvals made moot by a decision (e.g. HR rejected meanwhile). */
export const WITHDRAW_CONSUMER = 'workflow.withdraw_approval';

/** Props of {@link decide}. */
export interface DecideProps {
  applicationId: number;
  actor: Extract<Actor, { kind: 'employee' }>;
  decision: DecisionBody;
  context?: { ip?: string | null; requestId?: string | null };
}

/** Applies an HR decision in one transaction. Returns the application's new stage and version. */
export async function decide(orm: Orm, props: DecideProps) {
  const { decision: d, actor } = props;
  return orm.em.fork().transactional(async (em) => {
    const app = await em.findOne(Application, { id: props.applicationId });
    if (!app) throw notFound('Application');
    if (app.version !== d.version)
      throw conflict('already_decided', 'Someone else decided on this application first', {
        stage: app.stage,
        version: app.version,
      });
    const by = hrActor(actor);
    const base = { applicationId: app.id, actor: by, expect: { version: d.version }, context: props.context };
    const me = { id: actor.id, dingtalkUserId: actor.user.dingtalkUserId };
    switch (d.action) {
      case 'advance':
        await transition(em, {
          ...base,
          name: 'advance_second_round',
          reason: d.reason || 'HR 决定进入复试',
        });
        await withdrawOpen(em, app.id, 'second_round', 'HR 已直接决定进入复试');
        break;
      case 'request_second_round':
        if (app.stage !== 'in_review')
          throw conflict('stage_changed', `Cannot ask for approval in stage ${app.stage}`);
        await requestApproval(em, { applicationId: app.id, kind: 'second_round', requestedBy: me });
        break;
      case 'complete_second_round':
        await transition(em, { ...base, name: 'complete_second_round', reason: d.reason || '复试已完成' });
        break;
      case 'request_offer':
        await transition(em, {
          ...base,
          name: 'request_offer',
          reason: `发起录用审批（${d.offer.level}，${d.offer.salary}，${d.offer.startDate} 入职）`,
        });
        await requestApproval(em, { applicationId: app.id, kind: 'offer', requestedBy: me, offer: d.offer });
        break;
      case 'hire':
        await transition(em, { ...base, name: 'hire', reason: '已入职' });
        break;
      case 'reject':
        await reject(em, app.id, base, d.reason);
        break;
    }
    await em.flush();
    const fresh = await em.findOneOrFail(Application, { id: app.id }, { refresh: true });
    return { stage: fresh.stage, version: fresh.version };
  });
}

async function reject(
  em: Em,
  applicationId: number,
  base: Parameters<typeof transition>[1] extends infer P ? Omit<P & object, 'name' | 'reason'> : never,
  reason: string,
) {
  const moved = await transition(em, { ...base, name: 'reject', reason });
  const review = await em.findOne(ApplicationReview, { application: applicationId });
  const [candidate, job] = await Promise.all([
    em.findOneOrFail(Candidate, { id: moved.application.candidate.id }),
    em.findOneOrFail(Job, { id: moved.application.job.id }),
  ]);
  const feedback = rejectionFeedback(
    candidate.name,
    job.title,
    (review?.report as ReportReadyData | null) ?? null,
  );
  // The bot feature turns this into the candidate's message (queued now, delivered by the outbox).
  await emit(em, {
    type: 'application.rejected',
    key: `application:${applicationId}:rejected:v${moved.version}`,
    aggregate: `application:${applicationId}`,
    actor: base.actor.person,
    data: { applicationId, candidateId: candidate.id, jobId: job.id, feedback },
  });
  await withdrawOpen(em, applicationId, null, `HR 已淘汰：${reason}`);
}

/** Closes open approvals locally and queues their withdrawal in DingTalk. */
async function withdrawOpen(
  em: Em,
  applicationId: number,
  kind: 'second_round' | 'offer' | null,
  remark: string,
) {
  const open = await em.find(Approval, {
    application: applicationId,
    status: { $in: ['requested', 'running'] },
    ...(kind ? { kind } : {}),
  });
  for (const a of open) {
    const n = await em.nativeUpdate(
      Approval,
      { id: a.id, status: a.status },
      { status: 'terminated', activeKey: null, remark, decidedAt: new Date() },
    );
    if (!n) continue;
    audit(em, null, 'approval.withdrawn', { type: 'approval', id: a.id }, { remark });
    if (a.processInstanceId)
      await emit(em, {
        type: 'approval.withdraw',
        key: `approval:${a.id}:withdraw`,
        aggregate: `application:${applicationId}`,
        actor: null,
        data: {
          approvalId: a.id,
          processInstanceId: a.processInstanceId,
          operator: a.originatorUserId,
          remark,
        },
      });
  }
}

/** The candidate's answer to an offer: accept -> `accepted` (pre-entry queued); decline -> `withdrawn`. */
export async function answerOffer(
  orm: Orm,
  props: { applicationId: number; candidateId: number; answer: 'accept' | 'decline'; version: number },
) {
  return orm.em.fork().transactional(async (em) => {
    const app = await em.findOne(Application, { id: props.applicationId, candidate: props.candidateId });
    if (!app) throw notFound('Application');
    const actor = { by: 'candidate' as const, person: { kind: 'candidate' as const, id: props.candidateId } };
    if (app.stage !== 'offer_sent') throw conflict('stage_changed', `No open offer (stage ${app.stage})`);
    const moved = await transition(em, {
      applicationId: app.id,
      name: props.answer === 'accept' ? 'accept_offer' : 'withdraw',
      actor,
      reason: props.answer === 'accept' ? '候选人接受录用' : '候选人婉拒录用',
      expect: { version: props.version },
    });
    if (props.answer === 'accept')
      await emit(em, {
        type: 'onboarding.requested',
        key: `application:${app.id}:onboarding`,
        aggregate: `application:${app.id}`,
        actor: { kind: 'candidate', id: props.candidateId },
        data: { applicationId: app.id },
      });
    return { stage: moved.to, version: moved.version };
  });
}

/**
 * Creates the DingTalk pre-entry (待入职) record for an accepted offer, then moves the
 * application to `onboarding`, in the consumer's transaction `em`. A rejection by DingTalk (e.g.
 * the mobile already belongs to a member) is permanent: it is audited for HR, the stage stays
 * `accepted`, and the event counts as handled.
 */
export async function createPreEntry(
  em: Em,
  dingtalk: DingTalk,
  applicationId: number,
): Promise<'onboarding' | 'failed' | 'skipped'> {
  const app = await em.findOneOrFail(Application, { id: applicationId });
  if (app.stage !== 'accepted') return 'skipped';
  const [candidate, job, offer] = await Promise.all([
    em.findOneOrFail(Candidate, { id: app.candidate.id }),
    em.findOneOrFail(Job, { id: app.job.id }, { populate: ['department'] }),
    em.findOne(
      Approval,
      { application: app.id, kind: 'offer', status: 'agreed' },
      { orderBy: { id: 'desc' } },
    ),
  ]);
  const startDate = offer?.offer?.startDate ?? new Date().toISOString().slice(0, 10);
  let created: { id: string; via: 'new' | 'old' };
  try {
    if (!candidate.mobile)
      throw new DingTalkError('other', 'no_mobile', 'The candidate has no mobile number');
    created = await dingtalk.hrm.addPreEntry({
      name: candidate.name,
      mobile: candidate.mobile,
      preEntryTime: new Date(`${startDate}T01:00:00Z`), // 09:00 China time
      opUserId: offer?.originatorUserId ?? '',
      position: job.title,
      deptId: Number(job.department.dingtalkId),
    });
  } catch (err) {
    if (err instanceof DingTalkError && !['throttle', 'unavailable', 'token'].includes(err.kind)) {
      audit(em, null, 'preentry.failed', { type: 'application', id: app.id }, { error: err.message });
      await em.flush();
      return 'failed';
    }
    throw err;
  }
  await transition(em, {
    applicationId: app.id,
    name: 'onboard',
    actor: SYSTEM,
    reason: `已在钉钉智能人事创建待入职记录（${created.via === 'new' ? '新版接口' : '旧版接口'}）`,
    details: { preEntryId: created.id, via: created.via },
    expect: { stage: 'accepted' },
  });
  await em.flush();
  return 'onboarding';
}
