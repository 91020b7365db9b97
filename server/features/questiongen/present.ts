import type { QuestionDraftView } from '../../../shared/api/questionDrafts';
import type { IQuestionDraft } from '../../kernel/db/entities/QuestionDraft';

/** A draft for HR (`bankQuestion` populated when set). The LLM's messages stay in the database. */
export function presentDraft(d: IQuestionDraft): QuestionDraftView {
  const llm = d.llm as { promptVersion?: string; model?: string; discarded?: string } | null;
  const bank = d.bankQuestion as { id: number; key?: string; version?: number } | null | undefined;
  return {
    id: d.id,
    jobId: typeof d.job === 'number' ? d.job : d.job.id,
    batch: d.batch,
    kind: d.kind,
    text: d.text,
    referenceAnswers: d.referenceAnswers,
    competencies: d.competencies,
    indicators: d.indicators,
    language: d.language === 'en' ? 'en' : 'zh',
    source: d.source,
    status: d.status,
    edited: d.edited,
    llm: llm
      ? { promptVersion: llm.promptVersion ?? '', model: llm.model ?? '', discarded: llm.discarded ?? null }
      : null,
    bankQuestion: bank ? { id: bank.id, key: bank.key ?? '', version: bank.version ?? 1 } : null,
    createdAt: d.createdAt.toISOString(),
    decidedAt: d.decidedAt ? d.decidedAt.toISOString() : null,
  };
}
