/**
 * Follow-up answers recorded like interview answers: the same upload grant (local resumable
 * route or OSS PostObject form), the same checks of the stored object (type, magic bytes,
 * ffmpeg), the same ASR provider, then the same rubric. Only the bookkeeping differs: a
 * follow-up has one recording at a time on its own row instead of interview attempts, because
 * the session it follows is already submitted.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { MultipartState, UploadGrant } from '../../../shared/api/interview';
import type { ErrorCode } from '../../../shared/errors';
import type { Actor } from '../../kernel/actor';
import { audit } from '../../kernel/audit';
import type { Config } from '../../kernel/config';
import { FollowUp, type IFollowUp } from '../../kernel/db/entities/FollowUp';
import type { Em } from '../../kernel/db/orm';
import { badRequest, conflict, notFound } from '../../kernel/errors';
import { PermanentError } from '../../kernel/events/consume';
import { emit } from '../../kernel/events/emit';
import { AsrError, type AsrProvider } from '../../kernel/integrations/asr';
import type { AppObjectStore } from '../../kernel/integrations/storage';
import {
  probeStoredRecording,
  type RecordingProblem,
  screenStoredRecording,
} from '../../kernel/media/stored';
import {
  MIN_UPLOAD_BYTES,
  ossMultipartStep,
  RECORDING_TYPES,
  type RecordingType,
  recordingTooLarge,
  uploadGrant,
} from '../interview';

/** Where a follow-up's recording is. */
export type RecordingStatus = 'granted' | 'verified' | 'transcribed' | 'failed';

/**
 * Media flags that make a recording unusable (sent back to record again). Stricter than an
 * interview answer, which is kept and routed to a person: a follow-up is one short answer the
 * candidate can simply record again, and a silent one would only come back as an empty transcript.
 */
const UNUSABLE = new Set(['corrupt', 'no_audio', 'mostly_silent']);

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
  if (f.status === 'answered') throw conflict('follow_up_answered', 'This follow-up was already answered');
  if (f.status === 'withdrawn') throw conflict('follow_up_withdrawn', 'This follow-up was withdrawn');
  if (f.recordingStatus === 'verified')
    throw conflict('follow_up_transcribing', 'The recording of this follow-up is being transcribed');
  return f;
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

/** Result of {@link completeFollowUpUpload}. */
export type FollowUpRecordingResult =
  | { ok: true; durationMs: number | null; flags: string[] }
  | { ok: false; problem: { code: ErrorCode; message: string } };

/**
 * Verifies the uploaded recording of a follow-up exactly as an interview answer's (size, type,
 * magic bytes, ffmpeg) and hands it to the worker (`followup.recorded`) for transcription and
 * scoring. A broken or silent recording is deleted and the candidate records again.
 */
export async function completeFollowUpUpload(d: RecordingDeps, id: number): Promise<FollowUpRecordingResult> {
  const f = await ownPending(d.em, d.actor, id);
  if (f.recordingStatus !== 'granted' || !f.objectKey || !f.contentType)
    throw conflict('attempt_closed', 'There is no recording in progress for this follow-up');
  const key = f.objectKey;
  const ct = f.contentType;
  const info = await d.storage.head(key);
  if (!info)
    throw conflict('upload_missing', 'The recording has not arrived yet; finish or resume the upload');
  let problem: RecordingProblem | null = await screenStoredRecording(d.storage, key, ct, info, {
    minBytes: MIN_UPLOAD_BYTES,
  });
  let flags: string[] = [];
  let durationMs: number | null = null;
  if (!problem) {
    const probed = await probeStoredRecording(d.storage, key);
    flags = probed.report.flags;
    durationMs = probed.report.durationMs;
    problem = probed.problem;
    if (!problem && probed.report.flags.some((x) => UNUSABLE.has(x)))
      problem = { code: 'recording_broken', message: 'The recording has no sound; please record again' };
  }
  return d.em.transactional(async (tx) => {
    const row = await tx.findOneOrFail(FollowUp, { id });
    if (row.objectKey !== key || row.recordingStatus !== 'granted' || row.status !== 'pending')
      throw conflict('attempt_closed', 'This recording was already checked');
    if (problem) {
      Object.assign(row, {
        recordingStatus: null,
        objectKey: null,
        recordingFlags: flags,
        recordingError: problem.code,
      });
      await tx.flush();
      await d.storage.delete(key).catch(() => undefined);
      return { ok: false as const, problem };
    }
    Object.assign(row, {
      recordingStatus: 'verified',
      recordingFlags: flags,
      durationMs,
      recordingError: null,
    });
    audit(tx, d.actor, 'followup.recorded', { type: 'follow_up', id: row.id }, { durationMs, flags });
    await emit(tx, {
      type: 'followup.recorded',
      key: `followup-recorded:${row.id}:${key}`,
      aggregate: `application:${row.applicationId}`,
      actor: { kind: 'candidate', id: d.actor.id },
      data: { followUpId: row.id, sessionId: row.sessionId, candidateId: row.candidateId },
    });
    await tx.flush();
    return { ok: true as const, durationMs, flags };
  });
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
