/**
 * Contracts of the public job page (issue 19: candidates can share a job): what anyone with the
 * job's link reads, the application a visitor sends from it, and the share link a signed-in
 * candidate or employee gets. The link names the job by its public slug and may carry a
 * referrer token (`?r=`): a signed statement of who shared it, which grants nothing, so the
 * link is never a personal credential.
 */
import { z } from 'zod';
import type { TakeMode } from './bookings';
import { checkContact } from './candidates';
import type { NoticeView } from './interview';

/** A job's state as the public page shows it: only `open` takes applications. */
export type PublicJobState = 'open' | 'paused' | 'closed';

/** Response of `GET /api/public/jobs/:slug`. */
export interface PublicJobView {
  slug: string;
  company: string | null;
  title: string;
  department: string;
  location: string;
  description: string;
  requirements: string;
  state: PublicJobState;
  /** How the AI interview of this job works; null when the job has no interview plan yet. */
  interview: {
    questionCount: number;
    expectedMinutes: number;
    hasPractice: boolean;
    takeMode: TakeMode;
    /** Days an invitation gives the candidate to take the interview. */
    deadlineDays: number;
  } | null;
  /** The privacy notice the candidate will consent to before recording. */
  notice: NoticeView;
  /** The name of the person who shared the link, when its referrer token is valid. */
  referrer: string | null;
}

/** Query of `GET /api/public/jobs/:slug`. */
export const publicJobQuery = z.strictObject({
  lang: z.enum(['zh-CN', 'en']).optional(),
  r: z.string().max(200).optional(),
});

const contactText = z.string().trim().max(200);

/**
 * Body of `POST /api/public/jobs/:slug/applications`: a name, a mobile or an e-mail (at least
 * one), the consent to be contacted about this job, and the link's referrer token if any.
 */
export const publicApplyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    mobile: contactText.optional(),
    email: contactText.optional(),
    consent: z.literal(true, { message: 'agree to the privacy notice to apply' }),
    ref: z.string().max(200).optional(),
  })
  .superRefine(checkContact);
/** Body of `POST /api/public/jobs/:slug/applications`. */
export type PublicApplyBody = z.input<typeof publicApplyBody>;

/**
 * Response of `POST /api/public/jobs/:slug/applications`. The same whether the person was new or
 * already known: a public form must not tell a stranger who is in the candidate pool.
 */
export interface PublicApplyResponse {
  status: 'received';
}

/** Response of `GET /api/jobs/:id/share`: what the share sheet sends. */
export interface JobShareResponse {
  title: string;
  text: string;
  /** Absolute URL of the public job page, with the sharer's referrer token. */
  url: string;
}
