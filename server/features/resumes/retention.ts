/**
 * Retention of résumés (TRUST.md "Retention and deletion"), under the same rule as recordings:
 * a résumé is deleted (file, text, profile) the organisation's retention period
 * (`OrgSettings.retentionDays`, default 180) after it was uploaded, once every application of
 * its candidate reached a final decision at least that long ago (or there is none). A résumé
 * the candidate keeps in the talent pool (its own consent) stays until that consent's end, and
 * HR's tags on a person go when no résumé of theirs is in the pool any more. The run ends by
 * rebuilding the pool's person groups from the résumés (resumes/poolGroups.ts).
 * Woken daily; deleting a missing object is not an error, so a crashed run is simply repeated.
 */
import { TERMINAL_STAGES } from '../../../shared/stages';
import { audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import { OrgSettings } from '../../kernel/db/entities/OrgSettings';
import { Resume } from '../../kernel/db/entities/Resume';
import type { Orm } from '../../kernel/db/orm';
import type { ObjectStore } from '../../kernel/integrations/storage';
import { defineJob } from '../../kernel/jobs/registry';
import { categoryLogger } from '../../kernel/logger';
import { eraseRow } from './commands';
import { rebuildPool } from './poolGroups';
import { dropTagsOutsidePool, taggedCandidates } from './tags';

/** Retention when no organisation settings row exists (as for recordings). */
const DEFAULT_RETENTION_DAYS = 180;

/** Deletes every expired résumé; returns how many were deleted. */
export async function purgeExpiredResumes(d: {
  orm: Orm;
  storage: ObjectStore;
  now?: Date;
}): Promise<number> {
  const now = d.now ?? new Date();
  const em = d.orm.em.fork();
  const [settings] = await em.find(OrgSettings, {}, { orderBy: { id: 'asc' }, limit: 1 });
  const days = settings?.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const expired = await em.find(Resume, {
    status: { $ne: 'erased' },
    createdAt: { $lt: cutoff },
    $or: [{ poolUntil: null }, { poolUntil: { $lt: now } }],
  });
  const byCandidate = new Map<number, typeof expired>();
  for (const r of expired) byCandidate.set(r.candidate.id, [...(byCandidate.get(r.candidate.id) ?? []), r]);
  let purged = 0;
  for (const [candidateId, rows] of byCandidate) {
    const apps = await em.find(
      Application,
      { candidate: candidateId },
      { fields: ['stage', 'stageChangedAt'] },
    );
    // Still in a process, or decided too recently: the résumé is still needed.
    if (apps.some((a) => !TERMINAL_STAGES.includes(a.stage) || a.stageChangedAt >= cutoff)) continue;
    for (const r of rows) {
      await eraseRow(d.storage, r);
      audit(
        em,
        null,
        'retention.resume_purged',
        { type: 'resume', id: r.id },
        { reason: `retention_${days}_days` },
      );
      purged++;
    }
    await em.flush();
  }
  // Pool consents that ended (or résumés purged above): HR's tags on those people go too.
  const tagsDeleted = await dropTagsOutsidePool(em, await taggedCandidates(em), now);
  if (tagsDeleted)
    audit(
      em,
      null,
      'retention.pool_tags_purged',
      { type: 'candidate_tags', id: null },
      { tags: tagsDeleted },
    );
  await em.flush();
  // The pool's groups again from the résumés: ended consents and purged résumés leave them, and
  // anything changed outside the product's paths (a hand-made fix in SQL) is repaired daily.
  await rebuildPool(em, now);
  return purged;
}

/** The daily résumé retention run on the worker role (03:20 Asia/Shanghai, after recordings). */
export const resumeRetentionJob = defineJob({
  name: 'resumes.retention',
  role: 'worker',
  schedule: { cron: '20 3 * * *', timezone: 'Asia/Shanghai' },
  async run(deps) {
    const n = await purgeExpiredResumes({ orm: deps.orm, storage: deps.storage });
    if (n) categoryLogger(deps.logger, 'jobs').info({ resumes: n }, 'résumé retention done');
  },
});
