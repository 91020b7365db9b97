/**
 * The interview: notice and consents, the session, questions with think/answer time and
 * retakes, upload grants and verified recordings, the plans' questions and accommodations.
 * Hands submitted sessions to scoring through {@link SubmittedSession}.
 */
import type { Feature } from '../../kernel/feature';
import { interviewRoutes } from './interview.routes';
import { mediaCheckJob } from './mediaCheck';
import { interviewPlanRoutes } from './plans.routes';
import { recordingDeletionConsumer } from './recordingDeletion';
import { uploadRoutes } from './uploads.routes';

export type { AnswerKind, SubmittedAnswer, SubmittedSession } from './contract';
export { overviewResponse } from './interview.routes';
export { overviewQuery } from './interview.schema';
export { claimRecordingChecks, runMediaChecks } from './mediaCheck';
export { loadPlan, presentQuestion, saveQuestions } from './plans';
export { RECORDING_TYPES, type RecordingType } from './recordingTypes';
export {
  interviewFactsOfJob,
  MIN_UPLOAD_BYTES,
  type MultipartStepInput,
  noticeForJob,
  ossMultipartStep,
  recordingTooLarge,
  signLocalUpload,
  uploadGrant,
} from './service';
export { loadSubmittedAnswers, SessionNotSubmittedError } from './submitted';

export const interview: Feature = {
  name: 'interview',
  routes: (deps) => [
    interviewRoutes(deps.config.interview.grantsPerMinute),
    uploadRoutes(),
    interviewPlanRoutes(),
  ],
  consumers: [recordingDeletionConsumer],
  // The ffmpeg check of uploaded recordings runs in workers, not in the web request (issue 18).
  jobs: [mediaCheckJob],
};
