import { ApiError } from '../api';
import { interviewApi, type Verification } from './api';
import type { Progress } from './upload';

/** `dd.chooseMedia` records at most 60 s per clip (dingtalk-reference §10). */
export const DD_MAX_SECONDS = 60;
/** ... and at least 3 s. */
const DD_MIN_SECONDS = 3;

/** The part of dingtalk-jsapi the capture fallback uses (tests pass a fake). */
export interface DdMediaApi {
  env: { platform: string };
  chooseMedia(opts: {
    mediaType: 'video';
    sourceType: Array<'camera' | 'album'>;
    maxDuration: number;
    camera: 'front' | 'back';
    count: number;
  }): Promise<{
    tempFiles?: Array<{ tempFilePath: string; size: number; duration?: number; fileType?: string }>;
  }>;
  uploadFile(opts: {
    url: string;
    fileName: string;
    filePath: string;
    fileType: 'video';
    header?: Record<string, string>;
    formData?: Record<string, string>;
  }): Promise<{ data?: string; statusCode?: number; header?: Record<string, string> }>;
}

/** Only inside DingTalk (`dd.env.platform !== 'notInDingTalk'`) and only where chooseMedia exists. */
export function canCaptureWithDd(dd: Partial<DdMediaApi> | null | undefined): dd is DdMediaApi {
  return (
    !!dd?.env &&
    String(dd.env.platform) !== 'notInDingTalk' &&
    typeof dd.chooseMedia === 'function' &&
    typeof dd.uploadFile === 'function'
  );
}

/** Clip length to ask for: the question's time, capped by what chooseMedia allows. */
export function ddMaxDuration(answerSeconds: number): number {
  return Math.max(DD_MIN_SECONDS, Math.min(DD_MAX_SECONDS, Math.floor(answerSeconds)));
}

/** Content type of a captured file (iOS gives .mov, Android .mp4). */
export function typeOfCapture(path: string): string {
  return /\.mov$/i.test(path) ? 'video/quicktime' : 'video/mp4';
}

/** The candidate closed the camera without recording. */
export class CaptureCancelled extends Error {}

/**
 * The DingTalk fallback when getUserMedia is missing: `dd.chooseMedia` records a clip with the
 * front camera (capped at 60 s and the question's time), then `dd.uploadFile` posts it as
 * multipart/form-data to the granted target: the server's upload route in local mode, or the
 * OSS PostObject form (policy fields as formData) in OSS mode. DingTalk sends no cookies; the
 * signed grant URL / policy is the credential, so no session header is needed. The server then
 * verifies the recording exactly as for in-page recordings.
 */
export async function captureWithDd(
  dd: DdMediaApi,
  answerId: number,
  answerSeconds: number,
  onProgress: Progress,
  origin: string = globalThis.location?.origin ?? '',
): Promise<Verification> {
  const chosen = await dd.chooseMedia({
    mediaType: 'video',
    sourceType: ['camera'],
    maxDuration: ddMaxDuration(answerSeconds),
    camera: 'front',
    count: 1,
  });
  const file = chosen.tempFiles?.[0];
  if (!file?.tempFilePath) throw new CaptureCancelled('no video was recorded');
  const contentType = typeOfCapture(file.tempFilePath);
  const { grant } = await interviewApi.grant(answerId, { contentType, bytes: file.size });
  onProgress(0, false);
  const target =
    grant.mode === 'local'
      ? { url: new URL(grant.url, origin).toString(), formData: { attempt: String(grant.attempt) } }
      : { url: grant.url, formData: grant.fields };
  const res = await dd.uploadFile({
    url: target.url,
    fileName: 'file',
    filePath: file.tempFilePath,
    fileType: 'video',
    formData: target.formData,
  });
  const status = Number(res.statusCode ?? 0);
  if (status < 200 || status >= 300)
    throw new ApiError(status || 502, 'upload_failed', String(res.data ?? '').slice(0, 300));
  onProgress(1, false);
  return interviewApi.complete(answerId, grant.attempt);
}
