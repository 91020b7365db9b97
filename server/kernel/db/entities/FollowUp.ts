import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * Follow-up questions (追问): at most one per answered question, chosen by rules after the
 * answer's transcript arrives (server/features/followups). Answers and sessions are referenced
 * by id, like scoring's tables, so the feature depends on the interview only through its data.
 */

/** Where a follow-up is: waiting for the candidate, answered, or withdrawn (plan switched off). */
export const FOLLOW_UP_STATUSES = ['pending', 'answered', 'withdrawn'] as const;
/** What the follow-up aims at (see FOLLOWUP_GAPS in the rules). */
export const FOLLOW_UP_GAPS = ['example', 'action', 'role', 'result', 'numbers', 'indicator'] as const;

/** One follow-up question and, once given, its answer and score. */
export const FollowUp = defineEntity({
  name: 'FollowUp',
  tableName: 'follow_ups',
  indexes: [
    { properties: ['sessionId'] },
    { properties: ['candidateId', 'status'] },
    // The media-check worker looks for `checking` recordings several times a second.
    { properties: ['recordingStatus', 'checkLeaseUntil'] },
  ],
  properties: {
    id: p.integer().primary(),
    /** The answer it follows up (one follow-up per answer at most). */
    answerId: p.integer().unique(),
    sessionId: p.integer(),
    applicationId: p.integer(),
    candidateId: p.integer(),
    reportId: p.integer().nullable(),
    questionId: p.integer(),
    /** 1-based position of the question it follows. */
    position: p.integer(),
    questionText: p.text(),
    language: p.string().length(5),
    gap: p.enum(FOLLOW_UP_GAPS),
    indicator: p.string().length(500).nullable(),
    competency: p.string().length(100).nullable(),
    /** Why the rules chose it (for HR; never shown to the candidate). */
    reason: p.string().length(500),
    /** The rules' wording, always kept; `text` is what the candidate sees. */
    ruleText: p.text(),
    text: p.text(),
    /** rules | llm: who phrased `text`. */
    phrasedBy: p.string().length(10),
    rulesVersion: p.string().length(40),
    /** The LLM phrasing attempt (prompt version, model, messages, why discarded), when one was made. */
    llm: p.json<Record<string, unknown>>().nullable(),
    status: p.enum(FOLLOW_UP_STATUSES).default('pending'),
    /** When the transcript it was chosen from was stored, and when the follow-up became available. */
    transcriptAt: p.datetime(3),
    availableAt: p.datetime(3),
    answerText: p.text().nullable(),
    answeredAt: p.datetime(3).nullable(),
    /** Score of the follow-up answer on the question's rubric (the scorer's result). */
    answerScore: p.integer().nullable(),
    answerResult: p.json<Record<string, unknown>>().nullable(),
    /**
     * How the follow-up is answered: like the question it follows (video, audio, or typed when
     * the plan's question takes text). Rows from before recordings were possible were typed.
     */
    answerMode: p.string().length(10).default('text'),
    /**
     * The recording (one at a time): object key, type, and where it is: granted -> checking (the
     * worker's media check) -> verified -> transcribed, or failed (media check or transcription).
     */
    objectKey: p.string().length(300).nullable(),
    contentType: p.string().length(60).nullable(),
    recordingStatus: p.string().length(20).nullable(),
    /** Quality flags of the recording (media checks) and its length. */
    recordingFlags: p.json<string[]>().nullable(),
    durationMs: p.integer().nullable(),
    /** Who transcribed it (ASR provider/model) and, on failure, why. */
    transcriptProvider: p.string().length(60).nullable(),
    recordingError: p.string().length(1000).nullable(),
    /** The worker checking the recording (`host:pid:random`), while `checking`. */
    checkClaimedBy: p.string().length(100).nullable(),
    /** Until when that worker holds it; an expired lease is claimed again (a crashed worker). */
    checkLeaseUntil: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Follow-up row. */
export type IFollowUp = InferEntity<typeof FollowUp>;
