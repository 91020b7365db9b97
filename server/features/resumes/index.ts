/**
 * Résumés (issue 15): intake of PDF, DOCX and photos (checked at the door, extracted by the
 * worker with time limits), the structured profile with source spans, the explainable job match
 * that never reads protected attributes, and HR's screening queue per job (HR decides; the AI
 * never rejects anyone).
 */

import { requireEm } from '../../kernel/db/tx';
import type { Feature } from '../../kernel/feature';
import { defineConsumer } from '../../kernel/jobs/registry';
import { syncLiveRoundToAts } from './ats';
import { processResume } from './commands';
import { refreshPoolRecords } from './poolGroups';
import { resumesRoutes } from './resumes.routes';
import { resumeRetentionJob } from './retention';

/** Name of the consumer that extracts and parses uploaded résumés. */
export const RESUME_EXTRACT_CONSUMER = 'resume-extract';
/** Name of the consumer that pushes a booked live round to DingTalk's AI interview assistant. */
export const ATS_SYNC_CONSUMER = 'resume-ats-sync';

/** Erasure of a candidate's résumé files and profiles (deletion requests). */
export { eraseResumes } from './commands';
/** The talent pool's stored person groups: a record's refresh (tests and tools that write résumés directly) and the full rebuild. */
export { rebuildPool, refreshPoolRecords } from './poolGroups';
export const resumes: Feature = {
  name: 'resumes',
  routes: () => [resumesRoutes()],
  reactions: {
    // A merge gave a pooled record another contact: its person group may change.
    'candidate.contacts_changed': [
      (tx, event, deps) =>
        refreshPoolRecords(requireEm(tx), event.data.candidateIds, deps.now?.() ?? new Date()),
    ],
  },
  consumers: [
    defineConsumer({
      name: RESUME_EXTRACT_CONSUMER,
      events: ['resume.uploaded'],
      category: 'storage',
      schedule: { everyMs: 3000 },
      // Extraction takes seconds (OCR): outside a transaction, so no connection or SQLite write
      // lock is held meanwhile; the handler's own writes are single statements.
      transactional: false,
      // OCR, then the LLM's gap-filling when configured (bounded by its timeout).
      leaseMs: (config) => 180_000 + config.llm.timeoutMs,
      handle: (event, em, deps) =>
        processResume(
          em,
          deps.storage,
          event.data.resumeId,
          deps.config.llm.enabled && deps.config.llm.url
            ? { ...deps.config.llm, url: deps.config.llm.url }
            : null,
        ),
    }),
    defineConsumer({
      name: ATS_SYNC_CONSUMER,
      events: ['booking.created', 'booking.rescheduled'],
      category: 'jobs',
      // Outside a transaction: the DingTalk call must not hold a connection or the SQLite lock.
      transactional: false,
      handle: async (event, em, deps) => {
        if (!deps.config.dingtalk.ats.sync) return;
        await syncLiveRoundToAts(em, deps.dingtalk, event.data.bookingId);
      },
    }),
  ],
  jobs: [resumeRetentionJob],
};

/** The explainable job match of a parsed résumé, and a job's requirements one per line (interview outlines). */
export { matchResume, requirementsOf, splitRequirements } from '../../../shared/resumes/match';
/** The résumé parser (text -> profile), for tests and tools that build parsed résumés. */
export { parseResume } from '../../../shared/resumes/parse';
