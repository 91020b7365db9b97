/**
 * Follow-up questions (追问): after an answer is transcribed, at most one follow-up for that
 * question, chosen by rules (zh and en) aimed at what the answer lacks; an LLM, when configured,
 * only phrases it and is checked against the transcript. The candidate answers at the end
 * (told by DingTalk message), recorded like the interview's answers (upload grant, media checks,
 * ASR) or typed where the question takes text; the answer is scored on the same rubric, and the report shows
 * question, answer, follow-up and follow-up answer together. HR switches it off per plan.
 */
import type { Feature } from '../../kernel/feature';
import { followUpRoutes } from './followups.routes';
import { followUpMediaCheck } from './mediaCheck';
import { followUpPhrasingConsumer, followUpReactions, followUpTranscriptionConsumer } from './reactions';

export const followups: Feature = {
  name: 'followups',
  routes: (deps) => [followUpRoutes(deps.config.interview.grantsPerMinute)],
  reactions: followUpReactions,
  consumers: [followUpPhrasingConsumer, followUpTranscriptionConsumer],
  jobs: [followUpMediaCheck.job],
};
