/**
 * From a submitted interview to a report: transcribe each answer (persisted as it arrives, so
 * a retry never pays twice), score the transcripts, write the report, route anything doubtful
 * to a person, and emit `report.ready`. Called by the `scoring` event consumer (jobs/scoring.ts)
 * for `interview.submitted`; safe to run again for the same session (the report is unique per
 * session and an existing one is returned as is).
 *
 * TRUST.md: person-only interviews and sessions without AI consent get no AI score at all;
 * the scorer sees transcript, question and rubric only.
 */

import type { Readable } from 'node:stream';
import { IsolationLevel } from '@mikro-orm/core';
import type { ReportReadyData } from '../../../shared/events';
import { absoluteAppUrl, routes } from '../../../shared/routes';
import { audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import {
  AnswerScore,
  AnswerTranscript,
  type IAnswerTranscript,
  InterviewReport,
  type ReportCompetency,
  ReviewTask,
} from '../../kernel/db/entities/Scoring';
import type { Em } from '../../kernel/db/orm';
import { emit } from '../../kernel/events/emit';
import { AsrError, type AsrProvider } from '../../kernel/integrations/asr';
import type { Logger } from '../../kernel/logger';
import type { SubmittedAnswer, SubmittedSession } from '../interview';
import { assessWithLlm, blend, type LlmOptions } from './assessor';
import {
  earlierAnswerPool,
  jobContexts,
  questionDefOf,
  type ScoredInput,
  scoringModels,
} from './calibrationStore';
import { scoreAnswer } from './engine';
import { competencyLibrary, resolveCompetencies } from './rubrics';
import type { Gap, ScoreResult } from './types';

/** What scoring needs from the object store. */
export interface MediaStore {
  signedGetUrl(key: string, ttlSeconds: number): Promise<string>;
  openRead(key: string): Promise<Readable>;
}

/** Dependencies of {@link scoreSession}. */
export interface ScoringDeps {
  asr: AsrProvider;
  storage: MediaStore;
  /** Null: the LLM assessor is off (the default). */
  llm: LlmOptions | null;
  /** Opens a fresh EntityManager whose writes commit on their own (transcripts). */
  fork: () => Em;
  publicUrl: string;
  log?: Logger;
  now?: () => Date;
  /** Transcription attempts per answer before it goes to a person instead. */
  maxAsrAttempts?: number;
  /** Days HR has to handle a review task (default {@link REVIEW_DUE_DAYS}). */
  reviewDueDays?: number;
}

/** The review SLA: days HR has to handle a report sent to a person (quality, person-only). */
export const REVIEW_DUE_DAYS = 3;

/** Flags that send a report to a person (the rest are informational). */
export const REVIEW_FLAGS = new Set([
  'empty_transcript',
  'transcription_failed',
  'off_topic',
  'too_short',
  'language_mismatch',
  'no_audio',
  'too_quiet',
  'mostly_silent',
  'corrupt',
]);

/** How long a signed URL given to DashScope lives (it downloads within minutes). */
const ASR_URL_TTL_SECONDS = 30 * 60;

/** Thrown to make the consumer retry later (a provider is down); transcripts so far are kept. */
export class RetryLater extends Error {}

interface AnswerOutcome {
  answer: SubmittedAnswer;
  transcript: IAnswerTranscript;
  result: (ScoreResult & { deterministic?: number[] }) | null;
  flags: string[];
}

async function transcribe(
  deps: ScoringDeps,
  s: SubmittedSession,
  a: SubmittedAnswer,
): Promise<IAnswerTranscript> {
  const em = deps.fork();
  const existing = await em.findOne(AnswerTranscript, { answerId: a.answerId });
  if (existing && existing.status !== 'failed') return existing;
  const base = {
    answerId: a.answerId,
    sessionId: s.sessionId,
    applicationId: s.applicationId,
    language: a.language,
    objectKey: a.objectKey,
    position: a.position,
    questionText: a.questionText,
  };
  const save = async (fields: Partial<IAnswerTranscript>) => {
    const row =
      existing ??
      em.create(AnswerTranscript, {
        ...base,
        status: 'failed',
        provider: deps.asr.name,
        sentences: [],
      } as never);
    Object.assign(row, fields);
    await em.flush();
    return row;
  };
  if (a.kind === 'text')
    return save({
      status: a.text?.trim() ? 'typed' : 'empty',
      provider: 'text',
      text: a.text ?? '',
      sentences: [],
      error: null,
    });
  if (!a.objectKey || a.flags.includes('no_audio') || a.flags.includes('corrupt'))
    return save({
      status: 'empty',
      text: '',
      sentences: [],
      error: a.objectKey ? `media: ${a.flags.join(',')}` : 'no recording',
    });
  const key = a.objectKey;
  try {
    const t = await deps.asr.transcribe(
      {
        url: () => deps.storage.signedGetUrl(key, ASR_URL_TTL_SECONDS),
        open: () => deps.storage.openRead(key),
        contentType: a.contentType,
        filename: key.replaceAll('/', '_'),
      },
      { language: a.language },
    );
    return save({
      status: t.text.trim() ? 'done' : 'empty',
      provider: t.provider,
      model: t.model,
      taskId: t.taskId,
      text: t.text,
      sentences: t.sentences,
      durationMs: t.durationMs ?? a.durationMs,
      error: null,
    });
  } catch (err) {
    const e = err instanceof AsrError ? err : new AsrError('unavailable', (err as Error).message, true);
    // The error counter lives in the message prefix so a retry knows how often this failed.
    const attempts = Number(/^\[(\d+)\]/.exec(existing?.error ?? '')?.[1] ?? 0) + 1;
    const row = await save({
      status: 'failed',
      text: null,
      error: `[${attempts}] ${e.kind}: ${e.message}`.slice(0, 1000),
    });
    deps.log?.warn({ answerId: a.answerId, kind: e.kind, attempts }, 'transcription failed');
    if (e.retryable && attempts < (deps.maxAsrAttempts ?? 3))
      throw new RetryLater(`answer ${a.answerId}: ${e.message}`);
    return row;
  }
}

function recommendationOf(status: 'ready' | 'needs_review', overall: number): string {
  if (status === 'needs_review') return 'human_review';
  return overall >= 75 ? 'advance_suggested' : overall >= 50 ? 'consider' : 'not_suggested';
}

/** Aggregates per-answer results into report fields. */
function aggregate(outcomes: AnswerOutcome[]) {
  const byName = new Map<string, { scores: number[]; c: ReportCompetency }>();
  const strengths: string[] = [];
  const gaps: Gap[] = [];
  let jm = 0;
  let scored = 0;
  for (const o of outcomes) {
    if (!o.result) continue;
    scored++;
    jm += o.result.jobMatch.score;
    for (const c of o.result.competencies) {
      const entry = byName.get(c.name) ?? {
        scores: [],
        c: { name: c.name, score: 0, evidence: [], matched: [], missing: [] },
      };
      entry.scores.push(c.score);
      for (const e of c.evidence)
        entry.c.evidence.push({
          answerId: o.answer.answerId,
          quote: e.text,
          indicator: e.indicator,
          start: e.start,
          end: e.end,
          ...(e.atMs !== undefined ? { atMs: e.atMs } : {}),
        });
      for (const m of c.matchedIndicators) if (!entry.c.matched.includes(m)) entry.c.matched.push(m);
      for (const m of c.missingIndicators) if (!entry.c.missing.includes(m)) entry.c.missing.push(m);
      byName.set(c.name, entry);
    }
    for (const s of o.result.strengths) if (!strengths.includes(s)) strengths.push(s);
    for (const g of o.result.gaps) if (!gaps.some((x) => x.text === g.text)) gaps.push(g);
  }
  const competencies = [...byName.values()].map(({ scores, c }) => ({
    ...c,
    // A behaviour shown in any answer is no longer missing.
    missing: c.missing.filter((m) => !c.matched.includes(m)),
    score: Math.round(scores.reduce((a, b) => a + b, 0) / scores.length),
  }));
  const overall = competencies.length
    ? Math.round(competencies.reduce((a, c) => a + c.score, 0) / competencies.length)
    : 0;
  return {
    competencies,
    overall,
    jobMatch: scored ? Math.round(jm / scored) : null,
    strengths: strengths.slice(0, 6),
    gaps: gaps.slice(0, 8),
  };
}

/** Result of {@link scoreSession}. */
export interface SessionScored {
  reportId: number;
  status: 'ready' | 'needs_review' | 'person_only';
  created: boolean;
}

/**
 * Transcribes, scores and reports one submitted session. Transcription runs outside any
 * transaction (each transcript commits as it arrives; on SQLite an open transaction holds the
 * only connection); the report, scores, review tasks and the `report.ready` event then commit
 * together in one transaction. Throws {@link RetryLater} when a provider is down and attempts
 * remain. Running it again for a session returns the existing report.
 */
export async function scoreSession(deps: ScoringDeps, s: SubmittedSession): Promise<SessionScored> {
  const existing = await deps.fork().findOne(InterviewReport, { sessionId: s.sessionId });
  if (existing) return { reportId: existing.id, status: existing.status, created: false };
  const transcripts =
    s.personOnly || !s.aiConsent ? [] : await Promise.all(s.answers.map((a) => transcribe(deps, s, a)));
  return deps.fork().transactional(
    async (em) => {
      const again = await em.findOne(InterviewReport, { sessionId: s.sessionId });
      if (again) return { reportId: again.id, status: again.status, created: false };
      return writeReport(deps, em, s, transcripts);
    },
    // READ COMMITTED: the report's `report.ready` moves the application's stage in this
    // transaction, and under REPEATABLE READ its next-key locks on the stage index made other
    // candidates' submits wait to its commit (BENCHMARKS.md, load: the lock census). Nothing
    // here needs a snapshot: a second report for the session is refused by its unique key, and
    // the move re-reads the application with a lock.
    { isolationLevel: IsolationLevel.READ_COMMITTED },
  );
}

async function writeReport(
  deps: ScoringDeps,
  em: Em,
  s: SubmittedSession,
  transcripts: IAnswerTranscript[],
): Promise<SessionScored> {
  const now = deps.now?.() ?? new Date();
  const due = new Date(now.getTime() + (deps.reviewDueDays ?? REVIEW_DUE_DAYS) * 86_400_000);
  const app = await em.findOneOrFail(Application, { id: s.applicationId });

  if (s.personOnly || !s.aiConsent) {
    const report = em.create(InterviewReport, {
      application: app,
      sessionId: s.sessionId,
      candidateId: s.candidateId,
      jobId: s.jobId,
      status: 'person_only',
      overall: null,
      jobMatch: null,
      competencies: [],
      strengths: [],
      gaps: [],
      flags: [s.personOnly ? 'person_only' : 'no_ai_consent'],
      recommendation: 'human_review',
      scorerVersion: null,
      weightsSource: null,
    } as never);
    em.create(ReviewTask, {
      key: `session:${s.sessionId}:person_only`,
      application: app,
      report,
      kind: 'person_only',
      reason: s.personOnly ? '候选人选择仅由人工评估' : '候选人未同意 AI 评估',
      dueAt: due,
    } as never);
    await em.flush();
    audit(
      em,
      null,
      'report.person_only',
      { type: 'interview_report', id: report.id },
      { sessionId: s.sessionId },
    );
    return { reportId: report.id, status: 'person_only', created: true };
  }

  const { model, topicModel } = await scoringModels(em);
  // Indicators of named competencies come from the company's library (latest versions).
  const library = await competencyLibrary(em);
  // The session's questions form the question bank (IDF), as at training time.
  const inputs = new Map<number, ScoredInput>(
    s.answers.map((a) => [
      a.answerId,
      {
        questionId: a.questionId,
        jobId: s.jobId,
        question: a.questionText,
        language: a.language,
        competencies: resolveCompetencies(a.competencies, a.indicators, a.language, library),
        ...(a.referenceAnswers?.length ? { referenceAnswers: a.referenceAnswers } : {}),
      },
    ]),
  );
  const contexts = jobContexts([...inputs.values()].map(questionDefOf));
  // Earlier answers to these questions tell an answer to another of them apart (off-topic check).
  const pool = await earlierAnswerPool(em, s.sessionId, contexts);
  const outcomes: AnswerOutcome[] = [];
  for (const [i, a] of s.answers.entries()) {
    const t = transcripts[i];
    const flags = [...a.flags];
    if (t.status === 'failed') flags.push('transcription_failed');
    if (t.status === 'empty') flags.push('empty_transcript');
    let result: AnswerOutcome['result'] = null;
    if (t.text?.trim()) {
      const input = inputs.get(a.answerId) as ScoredInput;
      const competencies = input.competencies;
      const det = scoreAnswer(
        {
          question: a.questionText,
          competencies,
          referenceAnswers: a.referenceAnswers,
          // A typed answer is not timed speech: judge its length against the generic default.
          expectedSeconds: a.kind === 'text' ? undefined : a.expectedSeconds,
          language: a.language,
          transcript: t.text,
          sentences: t.sentences,
        },
        {
          context: contexts.get(String(a.questionId)),
          model,
          topicModel,
          pool,
          questionId: String(a.questionId),
          group: `job:${s.jobId}`,
        },
      );
      const llm = deps.llm
        ? await assessWithLlm(deps.llm, { question: a.questionText, competencies, transcript: t.text })
        : null;
      result = blend(det, llm);
      flags.push(...det.flags);
      em.create(AnswerScore, {
        answerId: a.answerId,
        sessionId: s.sessionId,
        applicationId: s.applicationId,
        questionId: a.questionId,
        overall: result.overall,
        // The question as scored travels with the score: learning from ratings needs nothing else.
        result: { ...result, input } as unknown as Record<string, unknown>,
        scorerVersion: det.scorerVersion,
        weightsSource: det.weightsSource,
        llm: llm as unknown as Record<string, unknown> | null,
      } as never);
    }
    outcomes.push({ answer: a, transcript: t, result, flags: [...new Set(flags)] });
  }

  const agg = aggregate(outcomes);
  const allFlags = [...new Set(outcomes.flatMap((o) => o.flags))];
  const reviewFlags = allFlags.filter((f) => REVIEW_FLAGS.has(f));
  const status = reviewFlags.length || !agg.competencies.length ? 'needs_review' : 'ready';
  const report = em.create(InterviewReport, {
    application: app,
    sessionId: s.sessionId,
    candidateId: s.candidateId,
    jobId: s.jobId,
    status,
    overall: agg.overall,
    jobMatch: agg.jobMatch,
    competencies: agg.competencies,
    strengths: agg.strengths,
    gaps: agg.gaps,
    flags: allFlags,
    recommendation: recommendationOf(status, agg.overall),
    scorerVersion: outcomes.find((o) => o.result)?.result?.scorerVersion ?? null,
    weightsSource: model ? `learned:${model.version}` : 'uncalibrated',
  } as never);
  if (status === 'needs_review') {
    const which = outcomes
      .filter((o) => o.flags.some((f) => REVIEW_FLAGS.has(f)))
      .map((o) => `第${o.answer.position}题：${o.flags.filter((f) => REVIEW_FLAGS.has(f)).join('、')}`);
    em.create(ReviewTask, {
      key: `session:${s.sessionId}:quality`,
      application: app,
      report,
      kind: 'quality',
      reason: which.join('；') || '没有可评分的回答',
      dueAt: due,
    } as never);
  }
  await em.flush();
  const data: ReportReadyData = {
    applicationId: s.applicationId,
    reportId: report.id,
    candidateId: s.candidateId,
    jobId: s.jobId,
    overall: agg.overall,
    competencies: agg.competencies.map((c) => ({
      name: c.name,
      score: c.score,
      evidence: c.evidence.map((e) => e.quote).slice(0, 3),
    })),
    strengths: agg.strengths,
    gaps: agg.gaps,
    flags: reviewFlags,
    recommendation: report.recommendation,
    reportUrl: absoluteAppUrl(deps.publicUrl, routes.report(report.id)),
  };
  audit(
    em,
    null,
    'report.created',
    { type: 'interview_report', id: report.id },
    { sessionId: s.sessionId, status, overall: agg.overall },
  );
  await emit(em, {
    type: 'report.ready',
    key: `report:${s.sessionId}:ready`,
    aggregate: `application:${s.applicationId}`,
    actor: { kind: 'system', id: null },
    data,
  });
  deps.log?.info(
    { sessionId: s.sessionId, reportId: report.id, status, overall: agg.overall },
    'report ready',
  );
  return { reportId: report.id, status, created: true };
}
