/**
 * The public job page's reads and writes: the page itself, an application sent from it (a
 * candidate and their application for the job, merged into the existing person by mobile or
 * e-mail with the candidates intake's rules), and a signed-in person's share link.
 */
import { normaliseEmail, normaliseMobile } from '../../../shared/api/candidates';
import type { JobShareResponse, PublicApplyBody, PublicJobView } from '../../../shared/api/jobboard';
import { absoluteAppUrl, routes } from '../../../shared/routes';
import type { Actor } from '../../kernel/actor';
import { type AuditContext, audit } from '../../kernel/audit';
import type { Config } from '../../kernel/config';
import { Application } from '../../kernel/db/entities/Application';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { type IJob, Job, jobState } from '../../kernel/db/entities/Job';
import { OrgSettings } from '../../kernel/db/entities/OrgSettings';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { conflict, notFound } from '../../kernel/errors';
import { assertCan } from '../../kernel/policies';
import { existingByKey, type PersonInput, upsertPerson, withMergeRetry } from '../candidates';
import { interviewFactsOfJob, noticeForJob } from '../interview';
import { type Referrer, readReferralToken, referralToken } from './referral';

/** The job of a public slug, with its department; 404 when there is none. */
async function jobBySlug(em: Em, slug: string): Promise<IJob> {
  const job = await em.findOne(Job, { slug }, { populate: ['department'] });
  if (!job) throw notFound('Job');
  return job;
}

/** The name of a referrer token's person, or null when the token is bad or the person gone. */
async function referrerName(em: Em, secret: string, token: string | undefined): Promise<string | null> {
  const who: Referrer | null = token ? readReferralToken(secret, token) : null;
  if (!who) return null;
  if (who.kind === 'candidate') return (await em.findOne(Candidate, { id: who.id }))?.name ?? null;
  const user = await em.findOne(User, { id: who.id });
  return user?.active === false ? null : (user?.name ?? null);
}

/** The public page of the job `slug` in `lang` (a paused or closed job is shown as such). */
export async function publicJob(
  em: Em,
  config: Config,
  props: { slug: string; lang: 'zh-CN' | 'en'; ref?: string },
): Promise<PublicJobView> {
  const job = await jobBySlug(em, props.slug);
  const [org, facts, notice, referrer] = await Promise.all([
    em.find(OrgSettings, {}, { orderBy: { id: 'asc' }, limit: 1 }),
    interviewFactsOfJob(em, job.id),
    noticeForJob(em, job.id, props.lang),
    referrerName(em, config.session.secret, props.ref),
  ]);
  return {
    slug: job.slug,
    company: org[0]?.name ?? null,
    title: job.title,
    department: job.department.name ?? '',
    location: job.location,
    description: job.description,
    requirements: job.requirements,
    state: jobState(job),
    interview: facts ? { ...facts, deadlineDays: config.invitationTtlDays } : null,
    notice,
    referrer,
  };
}

/**
 * An application from the public page: refused (409 `job_not_open`) unless the job is open; the
 * person is created or merged by mobile/e-mail (their first source and referrer stay); the
 * application is opened unless they already have one for the job. A valid referrer token makes
 * the source 内推 (referral) with the sharer's name. Audited without the contact details.
 */
export async function applyToJob(props: {
  em: Em;
  config: Config;
  slug: string;
  body: PublicApplyBody;
  context: AuditContext;
}): Promise<{ candidateId: number; applicationId: number; merged: boolean; newApplication: boolean }> {
  const { body } = props;
  const referrer = await referrerName(props.em, props.config.session.secret, body.ref);
  const input: PersonInput = {
    name: body.name.trim(),
    mobile: body.mobile ? normaliseMobile(body.mobile) : null,
    email: body.email ? normaliseEmail(body.email) : null,
    source: referrer ? 'referral' : 'other',
    referrer,
  };
  return withMergeRetry(props.em, async (em) => {
    const job = await jobBySlug(em, props.slug);
    const state = jobState(job);
    if (state !== 'open')
      throw conflict('job_not_open', `Job ${job.slug} is ${state} and takes no applications`, { state });
    const known = await existingByKey(em, [input]);
    const { candidate, merged } = upsertPerson(em, known, input, null);
    await em.flush();
    let application = await em.findOne(Application, { candidate, job });
    const newApplication = !application;
    // No deadline yet: it starts with the invitation HR sends after reading the application.
    application ??= em.create(Application, { candidate, job, deadlineAt: null });
    await em.flush();
    audit(
      em,
      null,
      newApplication ? 'application.applied' : 'application.applied_again',
      { type: 'application', id: application.id },
      { candidateId: candidate.id, jobId: job.id, merged, source: input.source, referred: !!referrer },
      props.context,
    );
    await em.flush();
    return { candidateId: candidate.id, applicationId: application.id, merged, newApplication };
  });
}

/**
 * The share link of job `jobId` for `actor`: the public page with the actor's referrer token.
 * Employees may share any job; a candidate only a job they applied to (else 404, as if absent).
 */
export async function jobShareLink(
  em: Em,
  config: Config,
  actor: Actor,
  jobId: number,
  lang: 'zh-CN' | 'en',
): Promise<JobShareResponse> {
  const job = await em.findOne(Job, { id: jobId }, { populate: ['department'] });
  if (!job) throw notFound('Job');
  const hasApplied =
    actor.kind === 'candidate' && (await em.count(Application, { candidate: actor.id, job: job.id })) > 0;
  if (actor.kind === 'candidate' && !hasApplied) throw notFound('Job');
  assertCan(actor, 'job.share', { hasApplied });
  const token = referralToken(config.session.secret, { kind: actor.kind, id: actor.id });
  const org = (await em.find(OrgSettings, {}, { orderBy: { id: 'asc' }, limit: 1 }))[0];
  const company = org?.name ?? '';
  return {
    title: company ? `${company} · ${job.title}` : job.title,
    text:
      lang === 'en'
        ? `${job.title}${job.location ? ` (${job.location})` : ''}: first round by AI video interview, at a time that suits you.`
        : `${job.title}${job.location ? `（${job.location}）` : ''}：首轮为 AI 视频面试，时间由你安排。`,
    url: absoluteAppUrl(config.publicUrl, routes.publicJob(job.slug, token)),
  };
}
