import { absoluteAppUrl, routes } from '../../../shared/routes';
import { type AuditContext, audit } from '../../kernel/audit';
import type { Config } from '../../kernel/config';
import { Application } from '../../kernel/db/entities/Application';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { Job } from '../../kernel/db/entities/Job';
import type { Em } from '../../kernel/db/orm';
import { conflict, notFound } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { issueInvitationToken } from '../../kernel/http/tokens';
import { assertCan } from '../../kernel/policies';

/** Props of {@link createInvitation}. */
export interface CreateInvitationProps {
  em: Em;
  config: Config;
  actor: Actor;
  candidateId: number;
  jobId: number;
  /** Validity in days; defaults to INVITATION_TTL_DAYS. */
  expiresInDays?: number;
  now: Date;
  context: AuditContext;
}

/**
 * Invites a candidate to a job and returns the signed link. The invitation row and its audit
 * entry commit together; the token only names the row, so HR can revoke it later.
 */
export async function createInvitation(props: CreateInvitationProps) {
  const { id, candidateId, jobId, url, expiresAt } = await props.em.transactional((em) =>
    createInvitationIn(em, props),
  );
  return { id, candidateId, jobId, url, expiresAt };
}

/**
 * {@link createInvitation} in the caller's transaction (bulk invitations run many in one).
 * Checks the job (exists, open, the actor may invite to it) and the candidate; opens or extends
 * the application; audits. Returns the link and the rows it touched.
 */
export async function createInvitationIn(em: Em, props: Omit<CreateInvitationProps, 'em'>) {
  const { config, actor, now } = props;
  const job = await em.findOne(Job, { id: props.jobId });
  if (!job) throw notFound('Job');
  assertCan(actor, 'invitation.create', { jobDepartmentId: job.department.id });
  if (job.status !== 'open')
    throw conflict('job_closed', 'This job is closed and accepts no new invitations');
  if (job.pausedAt) throw conflict('job_paused', 'Hiring for this job is paused: no new invitations');
  const candidate = await em.findOne(Candidate, { id: props.candidateId });
  if (!candidate) throw notFound('Candidate');
  const days = props.expiresInDays ?? config.invitationTtlDays;
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  const invitation = em.create(Invitation, {
    candidate,
    job,
    createdBy: actor.kind === 'employee' ? actor.id : null,
    expiresAt,
  });
  // The invitation opens the candidate's application for the job (or extends its deadline).
  let application = await em.findOne(Application, { candidate, job });
  if (!application) application = em.create(Application, { candidate, job, deadlineAt: expiresAt });
  else if (!application.deadlineAt || application.deadlineAt < expiresAt) application.deadlineAt = expiresAt;
  await em.flush();
  audit(
    em,
    actor,
    'invitation.created',
    { type: 'invitation', id: invitation.id },
    { candidateId: candidate.id, jobId: job.id, expiresAt: expiresAt.toISOString() },
    props.context,
  );
  const token = await issueInvitationToken(config.session.secret, invitation.id, expiresAt);
  return {
    id: invitation.id,
    candidateId: candidate.id,
    jobId: job.id,
    // The token rides in the fragment, which browsers never send: no server, proxy or CDN
    // access log between the candidate and us ever sees it (the mini-app reads it from there).
    url: absoluteAppUrl(config.publicUrl, routes.invite(token)),
    expiresAt: expiresAt.toISOString(),
    rows: { invitation, candidate, job, application },
    token,
  };
}
