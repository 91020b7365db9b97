/**
 * The one place an application's stage changes. Every transition is checked against the table
 * in shared/pipeline.ts, applied with a compare-and-swap UPDATE on (id, stage, version) so two
 * decisions can never both win, audited with who, why and when, and announced as
 * `application.stage_changed` in the same transaction.
 */
import { FUNNEL_RANK } from '../../../shared/api/analytics';
import {
  canTransition,
  mayTrigger,
  TRANSITIONS,
  type TransitionActor,
  type TransitionName,
} from '../../../shared/pipeline';
import type { Stage } from '../../../shared/stages';
import { Application, type IApplication } from '../../kernel/db/entities/Application';
import type { Em } from '../../kernel/db/orm';
import { emTx, type Tx } from '../../kernel/db/tx';
import { conflict, forbidden, notFound } from '../../kernel/errors';
import { emit } from '../../kernel/events';
import type { DomainEvent } from '../../kernel/events/types';
import type { Actor } from '../../kernel/http/context';

/**
 * Who triggers a transition: the role it acts in (see shared/pipeline.ts) and, for people, who
 * they are (employee or candidate id). Approvers are employees found by their DingTalk userid;
 * `dingtalkUserId` is kept for the record when no local user matches.
 */
export interface WorkflowActor {
  by: TransitionActor;
  person: { kind: 'employee' | 'candidate'; id: number } | null;
  dingtalkUserId?: string;
}

/** The system, reporting a fact or applying a rule. */
export const SYSTEM: WorkflowActor = { by: 'system', person: null };

/** A WorkflowActor for a signed-in HR employee. */
export function hrActor(actor: Actor): WorkflowActor {
  return { by: 'hr', person: { kind: actor.kind, id: actor.id } };
}

/** Props of {@link transition}. */
export interface TransitionProps {
  applicationId: number;
  name: TransitionName;
  actor: WorkflowActor;
  /** Why (shown in the stage history and sent with the event). */
  reason: string;
  /** The stage/version the decider saw; a mismatch is a 409 instead of acting on stale data. */
  expect?: { stage?: Stage; version?: number };
  /** Extra facts for the audit row (approval id, remark, booking id...). */
  details?: Record<string, unknown>;
  /** Request context for the audit row. */
  context?: { ip?: string | null; requestId?: string | null };
  now?: Date;
  /**
   * Runs after the application was read (and, on MySQL/MariaDB, locked) and the move checked,
   * before the stage UPDATE. For writes that must precede the move's analytics trigger in the
   * lock order: the trigger reads the application's review (a shared lock on the reviews index
   * gap) before it updates the rollup rows, so a review written after the move would take them
   * the other way round and deadlock with another application's move (workflow/handlers.ts).
   */
  beforeMove?: (app: { jobId: number; personOnly: boolean }) => Promise<void>;
}

/** Result of a transition. */
export interface TransitionResult {
  application: IApplication;
  from: Stage;
  to: Stage;
  version: number;
}

function eventActor(a: WorkflowActor): DomainEvent['actor'] {
  return a.person ? { kind: a.person.kind, id: a.person.id } : { kind: 'system', id: null };
}

/** What a transition did, as plain facts (the plain-SQL form of {@link TransitionResult}). */
export interface TransitionFacts {
  applicationId: number;
  candidateId: number;
  jobId: number;
  personOnly: boolean;
  from: Stage;
  to: Stage;
  version: number;
}

interface ApplicationRow {
  id: number;
  candidate_id: number;
  job_id: number;
  stage: Stage;
  version: number;
  person_only: number | boolean;
  stage_changed_at: unknown;
}

/**
 * The read a transition starts with (handlers declare it as their `reads`, see registry.ts).
 * On MySQL/MariaDB it locks the row (it is about to be updated anyway): nobody can change the
 * stage between this read and the compare-and-swap, so the swap cannot fail afterwards and
 * may be sent together with the COMMIT.
 */
export function applicationRead(dialect: Tx['dialect'], id: number): [string, readonly unknown[]] {
  return [
    `select id, candidate_id, job_id, stage, version, person_only, stage_changed_at from applications where id = ?${
      dialect === 'mysql' ? ' for update' : ''
    }`,
    [id],
  ];
}

async function readApplication(tx: Tx, id: number): Promise<ApplicationRow | undefined> {
  const [sql, params] = applicationRead(tx.dialect, id);
  const [row] = await tx.all<ApplicationRow>(sql, params);
  return row;
}

async function apply(tx: Tx, app: ApplicationRow, props: TransitionProps): Promise<TransitionFacts> {
  const rule = TRANSITIONS[props.name];
  if (!mayTrigger(props.name, props.actor.by))
    throw forbidden('transition_not_permitted', `${props.actor.by} may not ${props.name}`);
  if (rule.personDecides && !props.actor.person && !props.actor.dingtalkUserId)
    throw forbidden('person_required', `${props.name} needs the person who decided`);
  const from = app.stage;
  if (props.expect?.stage && props.expect.stage !== from)
    throw conflict('stage_changed', `The application is now in stage ${from}`, { stage: from });
  if (props.expect?.version !== undefined && props.expect.version !== Number(app.version))
    throw conflict('already_decided', 'Someone else decided on this application first', {
      stage: from,
      version: Number(app.version),
    });
  if (!canTransition(props.name, from))
    throw conflict('stage_changed', `Cannot ${props.name} an application in stage ${from}`, { stage: from });
  await props.beforeMove?.({ jobId: Number(app.job_id), personOnly: Boolean(Number(app.person_only)) });
  const now = props.now ?? new Date();
  const version = Number(app.version) + 1;
  // The compare-and-swap: if another decision won, the whole transaction fails (the plain-SQL
  // transaction checks it with its next round trip, see `Tx.runChecked`).
  await tx.runChecked(
    // funnel_reach keeps the furthest funnel step ever reached (analytics), never lowered.
    `update applications set stage = ?, version = ?, stage_changed_at = ?, updated_at = ?,
       funnel_reach = case when funnel_reach > ? then funnel_reach else ? end
     where id = ? and stage = ? and version = ?`,
    [
      rule.to,
      version,
      tx.date(now),
      tx.date(now),
      FUNNEL_RANK[rule.to],
      FUNNEL_RANK[rule.to],
      app.id,
      from,
      app.version,
    ],
    (changed) =>
      changed.affectedRows === 1
        ? null
        : conflict('already_decided', 'Someone else decided on this application first', { stage: from }),
    // MySQL: the row was read with FOR UPDATE in this transaction (applicationRead); SQLite has
    // one writer at a time. Either way nothing else can have changed it since.
    { lockedByRead: true },
  );
  const person = props.actor.person;
  // The stage history analytics reads (funnels, time in stage), in the same transaction. Sent
  // like the swap above (with the COMMIT on MySQL): the row lock makes it certain to succeed.
  await tx.runChecked(
    `insert into application_stage_events
       (application_id, job_id, from_stage, to_stage, transition, at, from_since, actor_kind, actor_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      app.id,
      app.job_id,
      from,
      rule.to,
      props.name,
      tx.date(now),
      // As read (the dialect's own stored form), so it is written back exactly as stored.
      app.stage_changed_at ?? null,
      person ? person.kind : 'system',
      person ? person.id : null,
    ],
    (inserted) => (inserted.affectedRows === 1 ? null : new Error('stage event not recorded')),
    { lockedByRead: true },
  );
  tx.audit(
    person ? ({ kind: person.kind, id: person.id } as Actor) : null,
    'application.stage_changed',
    { type: 'application', id: app.id },
    {
      from,
      to: rule.to,
      transition: props.name,
      by: props.actor.by,
      reason: props.reason,
      ...(props.actor.dingtalkUserId ? { dingtalkUserId: props.actor.dingtalkUserId } : {}),
      ...props.details,
    },
    props.context,
  );
  const facts: TransitionFacts = {
    applicationId: Number(app.id),
    candidateId: Number(app.candidate_id),
    jobId: Number(app.job_id),
    personOnly: Boolean(Number(app.person_only)),
    from,
    to: rule.to,
    version,
  };
  await emit(tx, {
    type: 'application.stage_changed',
    key: `application:${facts.applicationId}:v${version}`,
    aggregate: `application:${facts.applicationId}`,
    actor: eventActor(props.actor),
    data: {
      applicationId: facts.applicationId,
      candidateId: facts.candidateId,
      jobId: facts.jobId,
      from,
      to: rule.to,
      reason: props.reason,
    },
  });
  return facts;
}

/**
 * Applies one named transition inside the caller's transaction (ORM or plain SQL). Throws 403
 * `transition_not_permitted` when the actor may not trigger it, 409 `stage_changed` when the
 * application is no longer in the expected (or any allowed) stage, and 409 `already_decided`
 * when another decision won the compare-and-swap.
 */
export async function transitionTx(tx: Tx, props: TransitionProps): Promise<TransitionFacts> {
  const app = await readApplication(tx, props.applicationId);
  if (!app) throw notFound('Application');
  return apply(tx, app, props);
}

/**
 * Like {@link transitionTx}, but a no-op (returns null) when the application is not in a stage
 * the transition leaves from. For facts reported by other features (a booking, a submission),
 * which may arrive again or late: the fact is recorded elsewhere, the stage simply does not move.
 */
export async function transitionIfAllowedTx(tx: Tx, props: TransitionProps): Promise<TransitionFacts | null> {
  const app = await readApplication(tx, props.applicationId);
  if (!app || !canTransition(props.name, app.stage)) return null;
  return apply(tx, app, props);
}

/** {@link transitionTx} for ORM callers: also returns the (refreshed) application entity. */
export async function transition(em: Em, props: TransitionProps): Promise<TransitionResult> {
  const facts = await transitionTx(emTx(em), props);
  return withEntity(em, facts);
}

/** {@link transitionIfAllowedTx} for ORM callers. */
export async function transitionIfAllowed(em: Em, props: TransitionProps): Promise<TransitionResult | null> {
  const facts = await transitionIfAllowedTx(emTx(em), props);
  return facts ? withEntity(em, facts) : null;
}

async function withEntity(em: Em, facts: TransitionFacts): Promise<TransitionResult> {
  // The stage changed by plain SQL: reload so a managed entity is not stale (and is not
  // written back with the old stage by a later flush).
  const application = await em.findOneOrFail(Application, { id: facts.applicationId }, { refresh: true });
  return { application, from: facts.from, to: facts.to, version: facts.version };
}
