/**
 * The share content of a job's public page for the signed-in person (`GET /api/jobs/:id/share`):
 * the link carries their referrer token (内推), never an invitation, so whoever the chat
 * forwards it to gets the public page and nobody's session.
 */
import type { JobShareResponse } from '../../../shared/api/jobboard';
import { apiRequest } from '../api';
import type { ShareContent } from '../dingtalk';

/** Fetches what the share sheet sends for job `jobId` in `lang`. */
export async function jobShareContent(jobId: number, lang: string): Promise<ShareContent> {
  const r = await apiRequest<JobShareResponse>(
    `/api/jobs/${jobId}/share?lang=${lang === 'en' ? 'en' : 'zh-CN'}`,
  );
  return { title: r.title, content: r.text, url: r.url };
}
