/**
 * Follow-up answers recorded like interview answers: the same upload grant (local resumable
 * route or OSS PostObject form), the same checks of the stored object (type, magic bytes,
 * ffmpeg) in the worker (mediaCheck.ts), the same ASR provider, then the same rubric. Only the bookkeeping differs: a
 * follow-up has one recording at a time on its own row instead of interview attempts, because
 * the session it follows is already submitted.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FollowUpRecordingStatus } from '../../../shared/api/followups';
import type { MultipartState, UploadGrant } from '../../../shared/api/interview';
import type { Actor } from '../../kernel/actor';
import type { Config } from '../../kernel/config';
import { FollowUp, type IFollowUp } from '../../kernel/db/entities/FollowUp';
import type { Em } from '../../kernel/db/orm';
import { badRequest, conflict, notFound } from '../../kernel/errors';
import { PermanentError } from '../../kernel/events/consume';
import { AsrError, type AsrProvider } from '../../kernel/integrations/asr';
import type { AppObjectStore } from '../../kernel/integrations/storage';
import { isRecordingProblemCode, recordingProblemOf } from '../../kernel/media/stored';
import {
  MIN_UPLOAD_BYTES,
  ossMultipartStep,
  RECORDING_TYPES,
  type RecordingType,
  recordingTooLarge,
  uploadGrant,
} from '../interview';

/** How long a signed URL given to the ASR provider lives (DashScope downloads within minutes). */
const ASR_URL_TTL_SECONDS = 30 * 60;

/** Transcription attempts before the follow-up is left for the candidate to record again. */
const MAX_ASR_ATTEMPTS = 3;

/** What the grant and completion need from the app. */
export interface RecordingDeps {
  em: Em;
  config: Config;
  storage: AppObjectStore;
  now: Date;
  actor: Actor & { kind: 'candidate' };
}

async function ownPending(em: Em, actor: { id: number }, id: number): Promise<IFollowUp> {
  const f = await em.findOne(FollowUp, { id, candidateId: actor.id });
  if (!f) throw notFound('Follow-up');
  assertPending(f);
  if (f.recordingStatus === 'verified' || f.recordingStatus === 'checking')
    throw conflict(
      'follow_up_transcribing',
      'The recording of this follow-up is being checked and transcribed',
    );
  return f;
}

/** Refuses an answered or withdrawn follow-up (409). */
function assertPending(f: IFollowUp): void {
  if (f.status === 'answered') throw conflict('follow_up_answered', 'This follow-up was already answered');
  if (f.status === 'withdrawn') throw conflict('follow_up_withdrawn', 'This follow-up was withdrawn');
}

/**
 * Grants the upload of a recorded answer to the candidate's own pending follow-up. Refused for
 * follow-ups answered by typing (the question they follow takes text), video where only audio
 * is taken, unknown types and sizes outside the limits, all before anything changes.
 */
export async function grantFollowUpUpload(
  d: RecordingDeps,
  id: number,
  input: { contentType: string; bytes: number },
): Promise<UploadGrant> {
  const ct = input.contentType.split(';')[0].trim().toLowerCase();
  if (!(ct in RECORDING_TYPES))
    throw badRequest(
      'unsupported_type',
      `contentType must be one of ${Object.keys(RECORDING_TYPES).join(', ')}`,
    );
  const maxBytes = d.config.interview.uploadMaxBytes;
  if (input.bytes < MIN_UPLOAD_BYTES) throw badRequest('upload_empty', 'bytes: the recording is empty');
  if (input.bytes > maxBytes) throw recordingTooLarge(maxBytes);
  const key = await d.em.transactional(async (tx) => {
    const f = await ownPending(tx, d.actor, id);
    if (f.answerMode === 'text') throw badRequest('text_answer', 'This follow-up takes a typed answer');
    if (f.answerMode === 'audio' && ct.startsWith('video/'))
      throw badRequest('audio_only', 'This follow-up takes an audio recording');
    const ext = RECORDING_TYPES[ct as RecordingType];
    // The random suffix keeps keys unguessable even when ids are; a new grant replaces the old.
    const k = `followups/${f.id}/${randomBytes(6).toString('hex')}.${ext}`;
    const old = f.objectKey;
    Object.assign(f, { objectKey: k, contentType: ct, recordingStatus: 'granted', recordingError: null });
    await tx.flush();
    if (old && old !== k) await d.storage.delete(old).catch(() => undefined);
    return k;
  });
  // OSS: a recording larger than one part goes up as a resumable multipart upload, like an
  // interview answer's (see followUpMultipart); a short one is one PostObject form.
  return uploadGrant(d, {
    key,
    attempt: 1,
    contentType: ct,
    maxBytes,
    partBytes: d.config.interview.partBytes,
  });
}

/**
 * One step (init, resume, complete) of the OSS multipart upload of the candidate's granted
 * follow-up recording: the key and type come from the follow-up's row, never the client; the
 * step itself (part URLs, the checks of `complete`) is the interview's. 404 outside OSS mode.
 */
export async function followUpMultipart(
  d: RecordingDeps,
  id: number,
  input: { op: 'init' | 'resume' | 'complete'; bytes: number; uploadId?: string },
): Promise<MultipartState> {
  if (d.storage.driver !== 'oss') throw notFound('Route');
  const f = await ownPending(d.em, d.actor, id);
  if (f.recordingStatus !== 'granted' || !f.objectKey || !f.contentType)
    throw conflict('attempt_closed', 'There is no recording in progress for this follow-up');
  return ossMultipartStep(d, { key: f.objectKey, contentType: f.contentType, ...input });
}

/**
 * Where a follow-up's recording is, as the candidate's screen polls it: the verdict of the media
 * check (`failed` with the problem to show) or of transcription (`failed` without one: the card
 * says the recording could not be recognised). Reads only the recording's columns.
 */
export function presentRecordingStatus(
  f: Pick<IFollowUp, 'recordingStatus' | 'recordingError' | 'recordingFlags' | 'durationMs' | 'contentType'>,
): FollowUpRecordingStatus {
  switch (f.recordingStatus) {
    case 'granted':
    case 'checking':
      return { status: f.recordingStatus };
    case 'verified':
    case 'transcribed':
      return {
        status: f.recordingStatus,
        ok: true,
        durationMs: f.durationMs ?? null,
        flags: f.recordingFlags ?? [],
      };
    case 'failed': {
      const code = f.recordingError ?? '';
      return {
        status: 'failed',
        ok: false,
        problem: isRecordingProblemCode(code) ? recordingProblemOf(code, f.contentType ?? '') : null,
      };
    }
    default:
      return { status: 'none' };
  }
}

/**
 * The candidate reports the upload of a follow-up recording finished. Only the cheap checks run
 * here (their own pending follow-up, a recording granted, the object arrived and is not empty):
 * the recording becomes `checking` and a worker runs the media check (type, magic bytes,
 * ffmpeg; followups/mediaCheck.ts), which hands a good recording to transcription. The
 * candidate polls {@link followUpRecordingStatus}. Repeating the call returns where the
 * recording is and never queues a second check. Returns the status and the row after.
 */
export async function completeFollowUpUpload(
  d: RecordingDeps,
  id: number,
): Promise<{ status: FollowUpRecordingStatus; row: IFollowUp }> {
  const f = await d.em.findOne(FollowUp, { id, candidateId: d.actor.id });
  if (!f) throw notFound('Follow-up');
  // A repeat (double tap, a retry after a dropped response): where that recording is now.
  if (f.recordingStatus && f.recordingStatus !== 'granted')
    return { status: presentRecordingStatus(f), row: f };
  assertPending(f);
  const key = f.objectKey;
  if (f.recordingStatus !== 'granted' || !key)
    throw conflict('attempt_closed', 'There is no recording in progress for this follow-up');
  const info = await d.storage.head(key);
  if (!info || info.size === 0)
    throw conflict('upload_missing', 'The recording has not arrived yet; finish or resume the upload');
  // Compare-and-swap: a double tap queues one check, and a new grant or a withdrawal in between wins.
  await d.em.nativeUpdate(
    FollowUp,
    { id, objectKey: key, recordingStatus: 'granted', status: 'pending' },
    { recordingStatus: 'checking', recordingError: null, checkClaimedBy: null, checkLeaseUntil: null },
  );
  await d.em.refresh(f);
  if (f.recordingStatus === 'granted' || f.objectKey !== key)
    throw conflict('attempt_closed', 'This recording was already checked');
  return { status: presentRecordingStatus(f), row: f };
}

/**
 * The poll of the candidate's own follow-up recording (see {@link presentRecordingStatus}): one
 * indexed read of the recording's columns, nothing else. Another candidate's follow-up is 404.
 */
export async function followUpRecordingStatus(
  em: Em,
  actor: { id: number },
  id: number,
): Promise<FollowUpRecordingStatus> {
  const f = await em.findOne(
    FollowUp,
    { id, candidateId: actor.id },
    { fields: ['recordingStatus', 'recordingError', 'recordingFlags', 'durationMs', 'contentType'] },
  );
  if (!f) throw notFound('Follow-up');
  return presentRecordingStatus(f);
}

/** What {@link transcribeFollowUp} needs. */
export interface TranscribeDeps {
  asr: AsrProvider;
  storage: {
    signedGetUrl(key: string, ttl: number): Promise<string>;
    openRead(key: string): Promise<Readable>;
  };
  /** Scores the text on the follow-up's question rubric and marks it answered (commands.ts). */
  score: (em: Em, f: IFollowUp, text: string, now: Date) => Promise<void>;
  now: () => Date;
}

/**
 * Transcribes a verified follow-up recording with the product's ASR provider and scores the
 * transcript on the rubric of the question it follows. Runs outside a transaction (the
 * provider takes seconds to minutes). A retryable provider failure is thrown so the consumer
 * retries with backoff; after {@link MAX_ASR_ATTEMPTS} or a permanent failure the recording is
 * marked failed and the candidate may record again (nothing is scored from nothing).
 */
export async function transcribeFollowUp(
  em: Em,
  deps: TranscribeDeps,
  id: number,
): Promise<'answered' | 'failed' | 'skipped'> {
  const f = await em.findOne(FollowUp, { id });
  if (f?.status !== 'pending' || f.recordingStatus !== 'verified' || !f.objectKey) return 'skipped';
  const key = f.objectKey;
  try {
    const t = await deps.asr.transcribe(
      {
        url: () => deps.storage.signedGetUrl(key, ASR_URL_TTL_SECONDS),
        open: () => deps.storage.openRead(key),
        contentType: f.contentType ?? null,
        filename: key.replaceAll('/', '_'),
      },
      { language: f.language.startsWith('en') ? 'en' : 'zh' },
    );
    f.transcriptProvider = `${t.provider}/${t.model}`.slice(0, 60);
    if (!t.text.trim()) {
      Object.assign(f, { recordingStatus: 'failed', objectKey: key, recordingError: 'empty_transcript' });
      await em.flush();
      return 'failed';
    }
    await em.transactional(async (tx) => {
      const row = await tx.findOneOrFail(FollowUp, { id });
      if (row.status !== 'pending' || row.recordingStatus !== 'verified') return;
      row.recordingStatus = 'transcribed';
      row.transcriptProvider = f.transcriptProvider;
      row.durationMs = t.durationMs ?? row.durationMs ?? null;
      await deps.score(tx, row, t.text.trim(), deps.now());
    });
    return 'answered';
  } catch (err) {
    if (err instanceof PermanentError) throw err;
    const e = err instanceof AsrError ? err : new AsrError('unavailable', (err as Error).message, true);
    const attempts = Number(/^\[(\d+)\]/.exec(f.recordingError ?? '')?.[1] ?? 0) + 1;
    const giveUp = !e.retryable || attempts >= MAX_ASR_ATTEMPTS;
    f.recordingError = `[${attempts}] ${e.kind}: ${e.message}`.slice(0, 1000);
    if (giveUp) f.recordingStatus = 'failed';
    await em.flush();
    if (!giveUp) throw err;
    return 'failed';
  }
}
