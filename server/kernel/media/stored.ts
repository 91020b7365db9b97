import type { ErrorCode } from '../../../shared/errors';
import { type AppObjectStore, LocalObjectStore, type ObjectInfo } from '../integrations/storage';
import { checkMedia, containerOf, type MediaReport, sniffContainer } from './checks';

/**
 * Checks of an uploaded recording already in the object store, shared by interview answers and
 * follow-up recordings. They are split in two on purpose (issue 18): {@link screenStoredRecording}
 * is cheap (metadata and 16 bytes), while {@link probeStoredRecording} spawns ffmpeg and takes
 * CPU seconds. Interview answers run both in the worker role (features/interview/mediaCheck.ts);
 * the web request only checks that the object arrived.
 */

/** Why a recording is refused; the candidate records again without using a retake. */
export interface RecordingProblem {
  code: ErrorCode;
  message: string;
}

/** Limits of {@link screenStoredRecording}. */
export interface ScreenLimits {
  minBytes: number;
  /** Omitted where the grant already caps the size. */
  maxBytes?: number;
}

/** The problems the checks find, with the words the candidate's screen gets. */
const PROBLEM_MESSAGES: Record<string, (contentType: string) => string> = {
  upload_empty: () => 'The recording is empty',
  upload_too_large: () => 'The recording is too large',
  wrong_type: (ct) => `The file is not a ${ct} recording`,
  recording_broken: () => 'The recording cannot be played; please record again',
  upload_missing: () => 'The recording is gone; please record again',
};

/** Whether `code` is one of the problems these checks find (a stored verdict's reason). */
export function isRecordingProblemCode(code: string): boolean {
  return Object.hasOwn(PROBLEM_MESSAGES, code);
}

/**
 * The problem of a recording whose check stored only its code (a verdict written by the worker
 * and read later by the candidate's poll); unknown codes read as a broken recording.
 */
export function recordingProblemOf(code: string, contentType: string): RecordingProblem {
  const message = PROBLEM_MESSAGES[code] ?? PROBLEM_MESSAGES.recording_broken;
  return {
    code: (code in PROBLEM_MESSAGES ? code : 'recording_broken') as ErrorCode,
    message: message(contentType),
  };
}

async function readHead(storage: AppObjectStore, key: string): Promise<Buffer> {
  const stream = await storage.openRead(key, { start: 0, end: 15 });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Size, declared type and magic bytes of a stored recording (no ffmpeg). Returns the first
 * problem found, or null when the object may go to the media probe.
 */
export async function screenStoredRecording(
  storage: AppObjectStore,
  key: string,
  contentType: string,
  info: ObjectInfo,
  limits: ScreenLimits,
): Promise<RecordingProblem | null> {
  if (info.size < limits.minBytes) return recordingProblemOf('upload_empty', contentType);
  if (limits.maxBytes !== undefined && info.size > limits.maxBytes)
    return recordingProblemOf('upload_too_large', contentType);
  if (info.contentType && info.contentType.split(';')[0] !== contentType)
    return recordingProblemOf('wrong_type', contentType);
  if (sniffContainer(await readHead(storage, key)) !== containerOf(contentType))
    return recordingProblemOf('wrong_type', contentType);
  return null;
}

/** Where ffmpeg reads the object: the file itself, or a short-lived signed URL. */
export async function mediaInput(storage: AppObjectStore, key: string): Promise<string> {
  if (storage instanceof LocalObjectStore) return storage.filePath(key);
  return storage.signedGetUrl(key, 600);
}

/**
 * Runs the ffmpeg media check on a stored recording (alone, or through `probe`: the worker's
 * shared runs, kernel/media/prober.ts). `corrupt` (it cannot be played) is a
 * problem for every caller; what else makes a recording unusable is the caller's rule.
 */
export async function probeStoredRecording(
  storage: AppObjectStore,
  key: string,
  probe: (input: string) => Promise<MediaReport> = checkMedia,
): Promise<{ report: MediaReport; problem: RecordingProblem | null }> {
  const report = await probe(await mediaInput(storage, key));
  const problem = report.flags.includes('corrupt') ? recordingProblemOf('recording_broken', '') : null;
  return { report, problem };
}
