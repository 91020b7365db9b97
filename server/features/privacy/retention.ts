/**
 * Retention (TRUST.md "Retention and deletion"): recordings, transcripts, typed answers and the
 * evidence quotes taken from them are deleted a configurable number of days after the final
 * decision (hired, rejected, withdrawn; `OrgSettings.retentionDays`, default 180). What stays is
 * the decision record: stage history, scores, ratings and an audit tombstone saying what was
 * removed and when. Woken daily by node-cron; applications are claimed in the database, so any
 * number of workers share the work and none purges the same application twice.
 */
import { TERMINAL_STAGES } from '../../../shared/stages';
import { audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import {
  InterviewAnswer,
  InterviewAttempt,
  InterviewSession,
} from '../../kernel/db/entities/InterviewSession';
import { OrgSettings } from '../../kernel/db/entities/OrgSettings';
import { AnswerScore, AnswerTranscript, InterviewReport } from '../../kernel/db/entities/Scoring';
import type { Em, Orm } from '../../kernel/db/orm';
import type { ObjectStore } from '../../kernel/integrations/storage';
import { claimDue } from '../../kernel/jobs/claim';
import { defineJob } from '../../kernel/jobs/registry';
import { categoryLogger, type Logger } from '../../kernel/logger';

/** What one run removed. */
export interface PurgeResult {
  applications: number;
  objects: number;
}

/** Default retention when no organisation settings row exists. */
export const DEFAULT_RETENTION_DAYS = 180;

/** Removes the recordings, transcripts, typed answers and evidence of one application (retention and deletion requests). */
export async function purgeOne(
  em: Em,
  storage: ObjectStore,
  applicationId: number,
  reason: string,
): Promise<number> {
  const session = await em.findOne(InterviewSession, { application: applicationId });
  let objects = 0;
  if (session) {
    const attempts = await em.find(InterviewAttempt, { answer: { session } });
    // Delete media first: a crash after this point leaves rows pointing at nothing (harmless,
    // and the retry deletes nothing twice: deleting a missing object is not an error).
    for (const a of attempts) {
      await storage.delete(a.objectKey);
      objects++;
    }
    await em.nativeUpdate(
      InterviewAttempt,
      { answer: { session } },
      { status: 'rejected', rejectReason: reason },
    );
    await em.nativeUpdate(InterviewAnswer, { session }, { text: null });
  }
  await em.nativeUpdate(AnswerTranscript, { applicationId }, { text: null, sentences: [] });
  // Answer scores carry transcript spans as evidence; the report keeps the numbers only.
  await em.nativeDelete(AnswerScore, { applicationId });
  const reports = await em.find(InterviewReport, { application: applicationId });
  for (const r of reports) {
    r.competencies = r.competencies.map((c) => ({ ...c, evidence: [] }));
  }
  audit(em, null, 'retention.purged', { type: 'application', id: applicationId }, { objects, reason });
  await em.flush();
  return objects;
}

/**
 * Purges every application whose final decision is older than the retention period. Each
 * application is claimed by setting `purgedAt` in one conditional statement; if deleting its
 * data then fails, the claim is released so the next run tries again.
 */
export async function purgeExpired(d: {
  orm: Orm;
  storage: ObjectStore;
  now?: Date;
  limit?: number;
  log?: Logger;
}): Promise<PurgeResult> {
  const now = d.now ?? new Date();
  const [settings] = await d.orm.em.fork().find(OrgSettings, {}, { orderBy: { id: 'asc' }, limit: 1 });
  const days = settings?.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const result: PurgeResult = { applications: 0, objects: 0 };
  for (;;) {
    const ids = await claimDue(d.orm.em.fork(), Application, {
      where: { stage: { $in: [...TERMINAL_STAGES] }, stageChangedAt: { $lt: cutoff }, purgedAt: null },
      claim: { purgedAt: now },
      limit: d.limit ?? 50,
    });
    if (!ids.length) return result;
    for (const id of ids) {
      try {
        result.objects += await d.orm.em
          .fork()
          .transactional((tx) => purgeOne(tx, d.storage, id, `retention_${days}_days`));
        result.applications++;
      } catch (err) {
        d.log?.error(
          { applicationId: id, err: (err as Error).message },
          'retention purge failed; will retry',
        );
        await d.orm.em.fork().nativeUpdate(Application, { id }, { purgedAt: null });
        return result;
      }
    }
  }
}

/** The daily retention run on the worker role (03:10 Asia/Shanghai, off the hour). */
export const retentionJob = defineJob({
  name: 'privacy.retention',
  role: 'worker',
  schedule: { cron: '10 3 * * *', timezone: 'Asia/Shanghai' },
  async run(deps) {
    const log = categoryLogger(deps.logger, 'jobs');
    const r = await purgeExpired({ orm: deps.orm, storage: deps.storage, log });
    if (r.applications) log.info(r, 'retention purge done');
  },
});
