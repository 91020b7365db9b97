/**
 * When a session's report is written (its transcripts are in and scored), the follow-ups are
 * chosen in the same transaction, so they are available the moment the report is; the candidate
 * is told by DingTalk message (they have left the session: transcription starts on submit).
 * The optional LLM phrasing runs later in its own consumer, never holding the transaction.
 */
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { InterviewReport } from '../../kernel/db/entities/Scoring';
import { requireEm } from '../../kernel/db/tx';
import type { InTxHandler, InTxReactions } from '../../kernel/events/registry';
import { createAsr } from '../../kernel/integrations/asr';
import { defineConsumer } from '../../kernel/jobs/registry';
import { queueCandidateMessage } from '../messaging';
import { createFollowUps, phraseSessionFollowUps, scoreFollowUpAnswer } from './commands';
import { transcribeFollowUp } from './recording';

/** `report.ready`: choose and store the follow-ups; message the candidate when there are any. */
export const onReportReady: InTxHandler<'report.ready'> = async (tx, e, deps) => {
  const em = requireEm(tx);
  const report = await em.findOne(InterviewReport, { id: e.data.reportId }, { fields: ['sessionId'] });
  if (!report) return;
  const created = await createFollowUps(em, {
    sessionId: report.sessionId,
    reportId: e.data.reportId,
    candidateId: e.data.candidateId,
    applicationId: e.data.applicationId,
  });
  if (!created.length) return;
  const [candidate, job] = await Promise.all([
    em.findOne(Candidate, { id: e.data.candidateId }),
    em.findOne(Job, { id: e.data.jobId }),
  ]);
  if (!candidate || !job) return;
  await queueCandidateMessage(em, deps.config, candidate, {
    key: `followups:${report.sessionId}`,
    topic: 'candidate.followups',
    aggregate: `application:${e.data.applicationId}`,
    template: 'candidate.followups',
    data: { jobTitle: job.title, count: created.length },
    dueAt: deps.now?.() ?? new Date(),
  });
};

/** The feature's in-transaction reactions. */
export const followUpReactions: InTxReactions = { 'report.ready': [onReportReady] };

/** Phrases new follow-ups with the LLM when one is configured (otherwise does nothing). */
export const followUpPhrasingConsumer = defineConsumer({
  name: 'followups.phrase',
  events: ['report.ready'],
  category: 'scoring',
  schedule: { everyMs: 5000 },
  transactional: false,
  leaseMs: (config) => config.llm.timeoutMs * 10 + 60_000,
  async handle(event, _em, deps) {
    const { llm } = deps.config;
    if (!llm.enabled || !llm.url) return;
    const em = deps.orm.em.fork();
    const report = await em.findOne(InterviewReport, { id: event.data.reportId }, { fields: ['sessionId'] });
    if (report) await phraseSessionFollowUps(em, { ...llm, url: llm.url }, report.sessionId);
  },
});

/**
 * Transcribes a verified follow-up recording with the product's ASR provider and scores it on
 * the question's rubric (outside a transaction: the provider takes seconds to minutes).
 */
export const followUpTranscriptionConsumer = defineConsumer({
  name: 'followups.transcribe',
  events: ['followup.recorded'],
  category: 'scoring',
  schedule: { everyMs: 2000 },
  transactional: false,
  leaseMs: (config) => config.asr.timeoutMs + 5 * 60_000,
  async handle(event, _em, deps) {
    await transcribeFollowUp(
      deps.orm.em.fork(),
      {
        asr: createAsr(deps.config.asr),
        storage: deps.storage,
        score: (em, f, text, now) => scoreFollowUpAnswer(em, f, text, now),
        now: () => deps.now?.() ?? new Date(),
      },
      event.data.followUpId,
    );
  },
});
