import type { CandidateFollowUpView, ReportFollowUpView } from '../../../shared/api/followups';
import type { IFollowUp } from '../../kernel/db/entities/FollowUp';

function modeOf(f: IFollowUp): CandidateFollowUpView['answerMode'] {
  const m = String(f.answerMode);
  return m === 'video' || m === 'audio' ? m : 'text';
}

/** A follow-up as its candidate sees it: the question, never the rules' reason or rubric. */
export function presentCandidateFollowUp(f: IFollowUp): CandidateFollowUpView {
  return {
    id: f.id,
    position: f.position,
    questionText: f.questionText,
    text: f.text,
    status: f.status === 'answered' ? 'answered' : 'pending',
    answerText: f.answerText ?? null,
    answerMode: modeOf(f),
    recording: (f.recordingStatus as CandidateFollowUpView['recording']) ?? null,
  };
}

/** A follow-up in the report: question, answer, follow-up and follow-up answer together. */
export function presentReportFollowUp(f: IFollowUp, answerText: string | null): ReportFollowUpView {
  return {
    id: f.id,
    position: f.position,
    questionText: f.questionText,
    answerText,
    followUp: f.text,
    gap: f.gap,
    indicator: f.indicator ?? null,
    reason: f.reason,
    phrasedBy: f.phrasedBy === 'llm' ? 'llm' : 'rules',
    status: f.status,
    followUpAnswer: f.answerText ?? null,
    answerMode: modeOf(f),
    followUpScore: f.answerScore ?? null,
    availableAfterSeconds: Math.max(0, (f.availableAt.getTime() - f.transcriptAt.getTime()) / 1000),
  };
}
