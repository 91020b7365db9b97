/**
 * DingTalk approvals of applications: asking (a row + an event, in the deciding transaction),
 * starting the instance (a worker, outside any transaction, with retries), and applying the
 * outcome (in the transaction that records the inbound event).
 */

import {
  APPROVAL_KIND_LABELS,
  APPROVAL_KINDS,
  type ApprovalKind,
  type OfferTerms,
} from '../../../shared/api/workflow';
import type { ReportReadyData } from '../../../shared/events';
import { absoluteAppUrl, routes } from '../../../shared/routes';
import { audit } from '../../kernel/audit';
import type { Config } from '../../kernel/config';
import { Application } from '../../kernel/db/entities/Application';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { Approval, type ApprovalStatus, type IApproval } from '../../kernel/db/entities/Approval';
import { ApprovalTemplate } from '../../kernel/db/entities/ApprovalTemplate';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { conflict } from '../../kernel/errors';
import { emit } from '../../kernel/events';
import type { DingTalk } from '../../kernel/integrations/dingtalk';
import { DingTalkError } from '../../kernel/integrations/dingtalk/errors';
import type { Logger } from '../../kernel/logger';
import { decideAccommodationByApproval } from '../accommodations';
import { summaryForApproval } from '../summary';
import { APPROVAL_KIND_RULES } from './approvalKinds';
import { FORM_TEMPLATES, FORM_VERSION, type FormInput, formValues, REFERENCE_LABEL } from './forms';
import { rulesFor } from './rules';
import { transitionIfAllowed, type WorkflowActor } from './transition';

/** Async consumer that starts requested approvals in DingTalk. */
export const START_APPROVAL_CONSUMER = 'workflow.start_approval';

/** Link HR and approvers open from the approval (DingTalk's `bizDetailPageUrl`). */
export function applicationUrl(config: Config, applicationId: number): string {
  return absoluteAppUrl(config.publicUrl, routes.pipelineApplication(applicationId));
}

/** Props of {@link requestApproval}. */
export interface RequestApprovalProps {
  applicationId: number;
  kind: ApprovalKind;
  /** The HR person asking (null: the job's rules asked after a passing report). */
  requestedBy: { id: number; dingtalkUserId: string } | null;
  offer?: OfferTerms;
  /** What the candidate asked for (accommodation approvals). */
  accommodation?: FormInput['accommodation'];
}

/**
 * Writes the approval row (status `requested`) and emits `approval.requested` for the starter
 * worker, in the caller's transaction. A second open approval of the same kind for the
 * application is refused with 409 `approval_already_open` (also under races: unique `activeKey`).
 */
export async function requestApproval(em: Em, props: RequestApprovalProps): Promise<IApproval> {
  const activeKey = `${props.applicationId}:${props.kind}`;
  if (await em.findOne(Approval, { activeKey }))
    throw conflict('approval_already_open', `A ${props.kind} approval is already open for this application`);
  const app = await em.findOneOrFail(Application, { id: props.applicationId });
  const [candidate, job, review] = await Promise.all([
    em.findOneOrFail(Candidate, { id: app.candidate.id }),
    em.findOneOrFail(Job, { id: app.job.id }),
    em.findOne(ApplicationReview, { application: app.id }),
  ]);
  const rules = await rulesFor(em, job.id);
  if (!rules.approverUserIds.length)
    throw conflict('no_approvers', 'The job has no approvers configured (job rules)');
  const report = (review?.report as ReportReadyData | null) ?? null;
  // The 录用 form carries the summary report: people's ratings (report and live round), not only the AI's.
  const summary = props.kind === 'offer' ? await summaryForApproval(em, app.id) : null;
  const approval = em.create(Approval, {
    application: app,
    kind: props.kind,
    status: 'requested',
    activeKey,
    processCode: APPROVAL_KIND_RULES[props.kind].jobProcessCode(rules) ?? null,
    originatorUserId: props.requestedBy?.dingtalkUserId ?? (rules.approverUserIds[0] as string),
    approverUserIds: rules.approverUserIds,
    approvalMode: rules.approverUserIds.length > 1 ? rules.approvalMode : 'NONE',
    ccUserIds: rules.ccUserIds,
    form: formValues(props.kind, {
      candidateName: candidate.name,
      jobTitle: job.title,
      report,
      // Without a report the link is the application page, filled in when the instance starts.
      reportUrl: report?.reportUrl ?? '',
      offer: props.offer ?? null,
      summary: summary ? { ...summary } : null,
      accommodation: props.accommodation ?? null,
    }),
    offer: props.offer ?? null,
    requestedBy: props.requestedBy ? em.getReference(User, props.requestedBy.id) : null,
  });
  await em.flush();
  audit(
    em,
    props.requestedBy ? ({ kind: 'employee', id: props.requestedBy.id } as never) : null,
    'approval.requested',
    { type: 'approval', id: approval.id },
    { applicationId: app.id, kind: props.kind, approverUserIds: rules.approverUserIds },
  );
  await emit(em, {
    type: 'approval.requested',
    key: `approval:${approval.id}:requested`,
    aggregate: `application:${app.id}`,
    actor: props.requestedBy ? { kind: 'employee', id: props.requestedBy.id } : null,
    data: { applicationId: app.id, approvalId: approval.id, kind: props.kind },
  });
  return approval;
}

/**
 * Makes sure both form templates exist in DingTalk (process codes from configuration win;
 * otherwise `formCreate` once and remember the code, updating it when the form changed).
 * Idempotent; safe to run at every start. `push` re-sends remembered forms as updates (demo
 * start-up: the sandbox forgets its forms when it restarts, the database does not).
 */
export async function ensureTemplates(
  em: Em,
  dingtalk: DingTalk,
  config: Config,
  opts: { push?: boolean } = {},
): Promise<Record<ApprovalKind, string>> {
  const out = {} as Record<ApprovalKind, string>;
  for (const kind of APPROVAL_KINDS) {
    const configured = APPROVAL_KIND_RULES[kind].configuredProcessCode(config);
    if (configured) {
      out[kind] = configured;
      continue;
    }
    const row = await em.findOne(ApprovalTemplate, { kind });
    if (row && row.formVersion === FORM_VERSION && !opts.push) {
      out[kind] = row.processCode;
      continue;
    }
    const t = FORM_TEMPLATES[kind];
    let processCode: string;
    try {
      processCode = await dingtalk.workflow.formCreate({ ...t, processCode: row?.processCode });
    } catch (err) {
      // The remembered form is gone (e.g. a fresh sandbox, or deleted in the admin console):
      // create it again. Anything else (throttling, no permission) is the caller's to retry.
      if (!row || !(err instanceof DingTalkError) || err.kind !== 'other') throw err;
      processCode = await dingtalk.workflow.formCreate({ ...t });
    }
    if (row) {
      row.processCode = processCode;
      row.formVersion = FORM_VERSION;
    } else em.create(ApprovalTemplate, { kind, processCode, formVersion: FORM_VERSION });
    await em.flush();
    out[kind] = processCode;
  }
  return out;
}

/**
 * Starts a requested approval in DingTalk (the `workflow.start_approval` consumer), in the
 * consumer's transaction `em`. Retryable failures throw (the consumer retries with backoff); a
 * refusal by DingTalk marks the approval failed, frees the stage for a new request and puts the
 * application back in HR's queue (committed: the event counts as handled).
 */
export async function startApproval(
  em: Em,
  dingtalk: DingTalk,
  config: Config,
  approvalId: number,
  log?: Logger,
): Promise<ApprovalStatus> {
  const approval = await em.findOne(Approval, { id: approvalId });
  if (approval?.status !== 'requested') return approval?.status ?? 'failed';
  let instanceId: string;
  let processCode = approval.processCode ?? '';
  const reference = `AIV-${approvalId}`;
  try {
    // Normally the forms exist (the worker creates them at start-up); created here only if that
    // failed, and then in this transaction.
    processCode ||= (await ensureTemplates(em, dingtalk, config))[approval.kind];
    // An earlier run may have started the instance and died before recording it (the start is
    // a call to DingTalk, the record a commit here). Adopt that instance instead of starting a
    // second approval for the same decision.
    const orphan = await findStartedInstance(
      dingtalk,
      processCode,
      approval.originatorUserId,
      reference,
      approval.startedAt,
    );
    if (orphan) {
      log?.warn(
        { approvalId, processInstanceId: orphan },
        'adopting an approval instance started by an earlier run',
      );
      return recordStarted(em, approval, approvalId, orphan, processCode);
    }
    const originator = await em.findOne(
      User,
      { dingtalkUserId: approval.originatorUserId },
      { populate: ['department'] },
    );
    const form = approval.form
      .filter((f) => f.name !== REFERENCE_LABEL)
      .map((f) =>
        f.name === '报告链接' && !f.value
          ? { ...f, value: applicationUrl(config, approval.application.id) }
          : f,
      );
    instanceId = await dingtalk.workflow.startProcessInstance({
      processCode,
      originatorUserId: approval.originatorUserId,
      deptId: originator?.department ? Number(originator.department.dingtalkId) : -1,
      formComponentValues: [...form, { name: REFERENCE_LABEL, value: reference }],
      approvers: {
        actionType: approval.approvalMode as 'AND' | 'OR' | 'NONE',
        userIds: approval.approverUserIds,
      },
      ccList: approval.ccUserIds,
      bizDetailPageUrl: applicationUrl(config, approval.application.id),
      microappAgentId: config.dingtalk.agentId,
    });
  } catch (err) {
    const retryable = err instanceof DingTalkError && ['throttle', 'unavailable', 'token'].includes(err.kind);
    if (retryable || !(err instanceof DingTalkError)) throw err;
    log?.warn({ approvalId, code: err.code }, 'DingTalk refused to start the approval');
    const n = await em.nativeUpdate(
      Approval,
      { id: approvalId, status: 'requested' },
      { status: 'failed', activeKey: null, lastError: err.message.slice(0, 2000), decidedAt: new Date() },
    );
    if (n) {
      audit(em, null, 'approval.failed', { type: 'approval', id: approvalId }, { error: err.message });
      // A kind whose refusal goes back to HR's review goes back when its start failed, too. (An
      // accommodation request stays pending: HR sees the failure and decides in the app.)
      if ('backToReview' in APPROVAL_KIND_RULES[approval.kind].onRefuse)
        await backToReview(em, approval.application.id, 'approval_failed', err.message);
      await em.flush();
    }
    return 'failed';
  }
  return recordStarted(em, approval, approvalId, instanceId, processCode);
}

/**
 * The instance of `processCode` whose reference field is `reference`, started by `originator`
 * since the approval was requested (with five minutes of slack for clocks), or null.
 */
async function findStartedInstance(
  dingtalk: DingTalk,
  processCode: string,
  originator: string,
  reference: string,
  requestedAt: Date,
): Promise<string | null> {
  const slack = 5 * 60_000;
  const ids = await dingtalk.workflow.listProcessInstanceIds({
    processCode,
    start: new Date(requestedAt.getTime() - slack),
    end: new Date(Date.now() + slack),
    userIds: [originator],
  });
  for (const id of ids) {
    const info = await dingtalk.workflow.getProcessInstance(id);
    if (info.formValues.some((f) => f.name === REFERENCE_LABEL && f.value === reference)) return id;
  }
  return null;
}

/** Records that the approval's instance runs at DingTalk and announces it (once). */
async function recordStarted(
  em: Em,
  approval: IApproval,
  approvalId: number,
  instanceId: string,
  processCode: string,
): Promise<ApprovalStatus> {
  const n = await em.nativeUpdate(
    Approval,
    { id: approvalId, status: 'requested' },
    { status: 'running', processInstanceId: instanceId, processCode },
  );
  if (!n) return 'requested';
  audit(
    em,
    null,
    'approval.started',
    { type: 'approval', id: approvalId },
    { processInstanceId: instanceId },
  );
  await emit(em, {
    type: 'approval.started',
    key: `approval:${approvalId}:started`,
    aggregate: `application:${approval.application.id}`,
    actor: null,
    data: {
      applicationId: approval.application.id,
      approvalId,
      kind: approval.kind,
      approverUserIds: approval.approverUserIds,
    },
  });
  await em.flush();
  return 'running';
}

/** Puts the application's review item back in HR's queue with why (and the approver's remark). */
async function backToReview(em: Em, applicationId: number, reason: string, remark: string | null) {
  const review = await em.findOne(ApplicationReview, { application: applicationId });
  if (review) {
    review.suggestion = 'review';
    review.reason = reason;
    review.remark = remark;
  } else
    em.create(ApplicationReview, {
      application: em.getReference(Application, applicationId),
      suggestion: 'review',
      reason,
      remark,
    });
}

/** An approval outcome, from an event or from polling. */
export interface ApprovalOutcome {
  result: 'agree' | 'refuse' | 'terminated';
  /** DingTalk userids of who decided (the refuser; the approvers who agreed). */
  deciders: string[];
  remark: string | null;
}

/**
 * Applies an approval's outcome in the caller's transaction: compare-and-swap on the approval
 * (running -> agreed/refused/terminated; a duplicate finds nothing to swap and changes nothing),
 * then the stage: second round agreed -> `second_round`; offer agreed -> `offer_sent`; refused
 * or withdrawn -> back to HR (offer: `second_round_done`) with the remark.
 * Returns false when the outcome was already applied.
 */
export async function applyApprovalOutcome(
  em: Em,
  approval: IApproval,
  outcome: ApprovalOutcome,
  config: Pick<Config, 'notifications'>,
): Promise<boolean> {
  const status =
    outcome.result === 'agree' ? 'agreed' : outcome.result === 'refuse' ? 'refused' : 'terminated';
  const now = new Date();
  const n = await em.nativeUpdate(
    Approval,
    { id: approval.id, status: { $in: ['running', 'requested'] } },
    {
      status,
      activeKey: null,
      decidedAt: now,
      decidedByUserId: outcome.deciders[0] ?? null,
      remark: outcome.remark,
    },
  );
  if (!n) return false;
  const deciders = await em.find(User, { dingtalkUserId: { $in: outcome.deciders } });
  const decider = deciders[0];
  const actor: WorkflowActor = {
    by: 'approver',
    person: decider ? { kind: 'employee', id: decider.id } : null,
    dingtalkUserId: outcome.deciders.join(',') || approval.originatorUserId,
  };
  const appId = approval.application.id;
  const details = { approvalId: approval.id, deciders: outcome.deciders, remark: outcome.remark };
  audit(
    em,
    decider ? ({ kind: 'employee', id: decider.id } as never) : null,
    `approval.${status}`,
    { type: 'approval', id: approval.id },
    details,
  );
  const kind = APPROVAL_KIND_RULES[approval.kind];
  const label = APPROVAL_KIND_LABELS[approval.kind].zh;
  const reason =
    outcome.result === 'agree'
      ? `${label}审批通过`
      : `${label}审批${outcome.result === 'refuse' ? '未通过' : '已撤回'}${outcome.remark ? `：${outcome.remark}` : ''}`;
  const effect = outcome.result === 'agree' ? kind.onAgree : kind.onRefuse;
  if ('transition' in effect) {
    await transitionIfAllowed(em, { applicationId: appId, name: effect.transition, actor, reason, details });
  } else if ('accommodation' in effect) {
    const decided = await decideAccommodationByApproval(em, config, {
      applicationId: appId,
      decision: effect.accommodation,
      remark: outcome.remark,
      deciderUserId: decider?.id ?? null,
      approvalId: approval.id,
      now,
    });
    if (!decided)
      audit(
        em,
        null,
        'approval.outcome_ignored',
        { type: 'approval', id: approval.id },
        {
          ...details,
          why: 'no pending accommodation request (decided in the app meanwhile)',
        },
      );
  } else {
    await backToReview(
      em,
      appId,
      outcome.result === 'refuse' ? 'approval_refused' : 'approval_terminated',
      outcome.remark,
    );
  }
  await emit(em, {
    type: 'approval.decided',
    key: `approval:${approval.id}:decided`,
    aggregate: `application:${appId}`,
    actor: actor.person ? { kind: 'employee', id: actor.person.id } : null,
    data: {
      applicationId: appId,
      approvalId: approval.id,
      kind: approval.kind,
      approverUserIds: approval.approverUserIds,
      result: outcome.result,
      ...(outcome.remark ? { remark: outcome.remark } : {}),
    },
  });
  return true;
}
