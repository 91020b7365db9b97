import type { ApiErrorBody } from '../../../shared/api/auth';
import type { MultipartState } from '../../../shared/api/interview';
import { ApiError } from '../api';
import { getSession } from '../auth/session';
import { type Grant, interviewApi } from './api';

/** Recording formats in order of preference; the first the browser supports is used. */
export const VIDEO_TYPES = [
  'video/webm;codecs=vp8,opus',
  'video/webm',
  'video/mp4;codecs=avc1,mp4a',
  'video/mp4',
];
/** Audio-only formats. */
export const AUDIO_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4', 'audio/ogg'];

/** The MediaRecorder format this device can record, or null (no MediaRecorder). */
export function pickRecorderMime(audioOnly: boolean): string | null {
  if (typeof MediaRecorder === 'undefined') return null;
  return (audioOnly ? AUDIO_TYPES : VIDEO_TYPES).find((t) => MediaRecorder.isTypeSupported(t)) ?? null;
}

/** The base type the server accepts (`video/webm;codecs=...` -> `video/webm`). */
export function baseType(mime: string): string {
  return mime.split(';')[0].trim().toLowerCase();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Progress callback: fraction 0..1 and whether the upload is retrying after a drop. */
export type Progress = (fraction: number, retrying: boolean) => void;

async function currentOffset(url: string): Promise<number> {
  const res = await fetch(url, { method: 'HEAD', cache: 'no-store' });
  if (res.status === 403) throw new ApiError(403, 'grant_expired', 'upload link expired');
  return Number(res.headers.get('upload-offset') ?? 0);
}

/**
 * Local mode: PUTs the blob in chunks at explicit offsets. After a network drop it asks the
 * server how much arrived (HEAD) and continues from there; an expired link is renewed for the
 * same attempt. Gives up only after many tries spread over about two minutes.
 */
async function uploadLocal(
  answerId: number,
  grant: Extract<Grant, { mode: 'local' }>,
  blob: Blob,
  onProgress: Progress,
  regrant: () => Promise<{ grant: Grant }> = () =>
    interviewApi.grant(answerId, { contentType: grant.contentType, bytes: blob.size, resume: true }),
) {
  let url = grant.url;
  let offset = 0;
  let failures = 0;
  while (offset < blob.size) {
    try {
      const end = Math.min(blob.size, offset + grant.chunkBytes);
      const res = await fetch(url, {
        method: 'PUT',
        headers: {
          'Content-Type': grant.contentType,
          'Upload-Offset': String(offset),
          'Upload-Length': String(blob.size),
        },
        body: blob.slice(offset, end),
      });
      if (res.status === 409) {
        offset = Number(res.headers.get('upload-offset') ?? 0);
        continue;
      }
      if (res.status === 403) throw new ApiError(403, 'grant_expired', 'upload link expired');
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as Partial<ApiErrorBody> | null;
        throw new ApiError(
          res.status,
          body?.error?.code ?? `http_${res.status}`,
          body?.error?.message ?? res.statusText,
        );
      }
      offset = Number(res.headers.get('upload-offset') ?? end);
      failures = 0;
      onProgress(offset / blob.size, false);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'grant_expired') {
        url = (await regrant()).grant.url;
        continue;
      }
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) throw err;
      failures++;
      if (failures > 20) throw err;
      onProgress(offset / blob.size, true);
      await sleep(Math.min(8000, 500 * 2 ** Math.min(failures, 4)));
      offset = await currentOffset(url).catch(() => offset);
    }
  }
}

/** OSS mode: one form POST straight to OSS with the signed policy (XHR for progress). */
function uploadOss(grant: Extract<Grant, { mode: 'oss' }>, blob: Blob, onProgress: Progress): Promise<void> {
  return new Promise((resolve, reject) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(grant.fields)) fd.append(k, v);
    fd.append('file', blob);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', grant.url);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total, false);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve()
        : reject(new ApiError(xhr.status, 'upload_failed', xhr.responseText.slice(0, 300)));
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'upload failed'));
    xhr.send(fd);
  });
}

/** One step of a multipart upload (init, resume, complete) on the recording's own route. */
export type MultipartStep = (b: {
  op: 'init' | 'resume' | 'complete';
  bytes: number;
  uploadId?: string;
}) => Promise<MultipartState>;

/**
 * OSS mode, recordings larger than one part: an OSS multipart upload. Each part is PUT straight
 * to OSS with a URL the server signed; after a network drop (or an expired URL) the server lists
 * the parts OSS already has and signs the missing ones, so the upload continues where it broke.
 */
export async function uploadOssMultipart(
  target: number | MultipartStep,
  grant: Extract<Grant, { mode: 'oss' }>,
  blob: Blob,
  onProgress: Progress,
) {
  // An interview answer's id (its attempt's route), or the route of another recording (a follow-up's).
  const step: MultipartStep =
    typeof target === 'number'
      ? (b) => interviewApi.multipart(target, { ...b, attempt: grant.attempt })
      : target;
  const base = { bytes: blob.size };
  let state = await step({ ...base, op: 'init' });
  const { uploadId, partBytes } = state;
  let failures = 0;
  const sent = () => state.uploaded.reduce((s, p) => s + p.size, 0);
  while (state.urls.length) {
    let done = sent();
    try {
      for (const { partNumber, url } of state.urls) {
        const body = blob.slice((partNumber - 1) * partBytes, Math.min(blob.size, partNumber * partBytes));
        const res = await fetch(url, {
          method: 'PUT',
          headers: { 'Content-Type': grant.contentType },
          body,
        });
        // 403 here is an expired part URL: resuming signs fresh ones.
        if (!res.ok) throw new ApiError(res.status, 'part_failed', `part ${partNumber}: HTTP ${res.status}`);
        done += body.size;
        failures = 0;
        onProgress(done / blob.size, false);
      }
      state = await step({ ...base, op: 'resume', uploadId });
    } catch (err) {
      if (err instanceof ApiError && err.code !== 'part_failed' && err.status >= 400 && err.status < 500)
        throw err;
      failures++;
      if (failures > 20) throw err;
      onProgress(done / blob.size, true);
      await sleep(Math.min(8000, 500 * 2 ** Math.min(failures, 4)));
      state = await step({ ...base, op: 'resume', uploadId }).catch(() => state);
    }
  }
  await step({ ...base, op: 'complete', uploadId });
}

/**
 * Gets a grant for a new attempt, uploads the recording and asks the server to verify it.
 * OSS: a recording larger than one part goes up as a resumable multipart upload; a small one
 * is one PostObject form, retried whole.
 */
export async function uploadAnswer(answerId: number, blob: Blob, mime: string, onProgress: Progress) {
  const { grant } = await interviewApi.grant(answerId, { contentType: baseType(mime), bytes: blob.size });
  if (grant.mode === 'local') await uploadLocal(answerId, grant, blob, onProgress);
  else if (blob.size > grant.partBytes) await uploadOssMultipart(answerId, grant, blob, onProgress);
  else {
    for (let i = 0; ; i++) {
      try {
        await uploadOss(grant, blob, onProgress);
        break;
      } catch (err) {
        if (i >= 5 || (err instanceof ApiError && err.status >= 400)) throw err;
        onProgress(0, true);
        await sleep(1000 * 2 ** i);
      }
    }
  }
  onProgress(1, false);
  return interviewApi.complete(answerId, grant.attempt);
}

/**
 * Uploads one recording with a grant obtained elsewhere (a follow-up answer's): the resumable
 * local route; on OSS a recording larger than one part as a resumable multipart upload through
 * `multipart` (the recording's own route), a smaller one as one PostObject form retried whole. An expired local link is not renewed
 * (a new grant is a new key): the caller records or uploads again.
 */
export async function uploadWithGrant(
  grant: Grant,
  blob: Blob,
  onProgress: Progress,
  multipart?: MultipartStep,
): Promise<void> {
  if (grant.mode === 'local')
    await uploadLocal(0, grant, blob, onProgress, () =>
      Promise.reject(new ApiError(403, 'grant_expired', 'upload link expired')),
    );
  else if (multipart && blob.size > grant.partBytes)
    await uploadOssMultipart(multipart, grant, blob, onProgress);
  else
    for (let i = 0; ; i++) {
      try {
        await uploadOss(grant, blob, onProgress);
        break;
      } catch (err) {
        if (i >= 5 || (err instanceof ApiError && err.status >= 400)) throw err;
        onProgress(0, true);
        await sleep(1000 * 2 ** i);
      }
    }
  onProgress(1, false);
}

/** Measures upload speed with a 512 KB probe to the server; Mbps. */
export async function probeUploadMbps(): Promise<number> {
  const bytes = new Uint8Array(512 * 1024);
  const started = performance.now();
  const session = getSession();
  await fetch('/api/interview/probe', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/octet-stream',
      ...(session ? { Authorization: `Bearer ${session.token}` } : {}),
    },
    body: bytes,
  });
  const seconds = Math.max(0.001, (performance.now() - started) / 1000);
  return Math.round(((bytes.length * 8) / seconds / 1e6) * 10) / 10;
}
