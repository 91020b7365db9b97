import { Transform } from 'node:stream';
import { FollowUp } from '../../kernel/db/entities/FollowUp';
import { InterviewSession } from '../../kernel/db/entities/InterviewSession';
import { AppError, badRequest, forbidden, notFound } from '../../kernel/errors';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { FormError, openFormFile } from '../../kernel/integrations/storage/formUpload';
import {
  LocalObjectStore,
  OffsetMismatchError,
  TooLargeError,
} from '../../kernel/integrations/storage/local';
import { deriveKey, verifyToken } from '../../kernel/integrations/storage/signing';
import { type LocalUploadClaims, recordingTooLarge } from './service';

/** Part content types a form upload may carry besides the granted one (DingTalk's bridge). */
const GENERIC_PART_TYPES = new Set(['application/octet-stream', 'binary/octet-stream']);

function localStore(ctx: AppContext): LocalObjectStore {
  const s = ctx.deps.storage;
  // In OSS mode browsers talk to OSS directly; these routes do not exist.
  if (!(s instanceof LocalObjectStore)) throw notFound('Route');
  return s;
}

function claimsOf(ctx: AppContext, token: string): LocalUploadClaims {
  const now = (ctx.deps.now?.() ?? new Date()).getTime();
  const r = verifyToken<LocalUploadClaims>(
    deriveKey(ctx.deps.config.session.secret, 'upload'),
    token,
    'upload',
    now,
  );
  if (!r.ok) {
    if (r.problem === 'expired')
      throw forbidden('grant_expired', 'This upload link expired; ask for a new one to resume');
    throw forbidden('grant_invalid', 'This upload link is not valid');
  }
  return r.payload;
}

/** A withdrawn or submitted session accepts no more bytes (withdrawal stops processing). */
async function assertSessionOpen(ctx: AppContext, key: string): Promise<void> {
  // A follow-up's recording (features/followups): open while it waits for this very key.
  const followUpId = Number(/^followups\/(\d+)\//.exec(key)?.[1]);
  if (followUpId) {
    const f = await ctx.deps.orm.em.findOne(FollowUp, { id: followUpId });
    if (f?.status !== 'pending' || f.objectKey !== key || f.recordingStatus !== 'granted')
      throw forbidden('session_closed', 'This follow-up accepts no more uploads');
    return;
  }
  const id = Number(/^interviews\/(\d+)\//.exec(key)?.[1]);
  const s = id ? await ctx.deps.orm.em.findOne(InterviewSession, { id }) : null;
  if (s?.status !== 'open') throw forbidden('session_closed', 'This interview accepts no more uploads');
}

function int(value: string, field: string): number {
  if (!/^\d{1,15}$/.test(value))
    throw badRequest('invalid_header', `${field} must be a non-negative integer`);
  return Number(value);
}

/**
 * Local-mode storage routes: the resumable upload target of a grant, and signed downloads.
 *
 * Upload protocol (one grant = one key): `PUT /api/uploads/<token>` with `Upload-Offset` (where
 * this chunk starts) and `Upload-Length` (total bytes); the body streams straight to disk. After
 * a network drop, `HEAD` answers `Upload-Offset` = bytes the server has, and the client
 * continues from there. A chunk at the wrong offset gets 409 with the right one.
 */
export function uploadRoutes() {
  const router = createRouter('/api');
  router.head('/uploads/:token', async (ctx: AppContext) => {
    const store = localStore(ctx);
    const claims = claimsOf(ctx, (ctx as unknown as { params: { token: string } }).params.token);
    const done = await store.head(claims.key);
    ctx.set('Upload-Offset', String(done ? done.size : await store.uploadedBytes(claims.key)));
    ctx.set('Upload-Complete', done ? '1' : '0');
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 204;
  });
  router.put('/uploads/:token', async (ctx: AppContext) => {
    const store = localStore(ctx);
    const claims = claimsOf(ctx, (ctx as unknown as { params: { token: string } }).params.token);
    const ct = (ctx.get('content-type') || '').split(';')[0].trim().toLowerCase();
    if (ct !== claims.ct) throw new AppError('wrong_type', `This upload must be ${claims.ct}`);
    const total = int(ctx.get('upload-length'), 'Upload-Length');
    const offset = int(ctx.get('upload-offset') || '0', 'Upload-Offset');
    if (total < claims.min) throw badRequest('upload_empty', 'The recording is empty');
    if (total > claims.max) throw recordingTooLarge(claims.max);
    const declared = ctx.get('content-length');
    if (declared && offset + Number(declared) > total)
      throw new AppError('upload_too_large', 'This chunk goes past Upload-Length');
    await assertSessionOpen(ctx, claims.key);
    if (await store.head(claims.key)) {
      ctx.req.resume();
      ctx.set('Upload-Offset', String(total));
      ctx.body = { offset: total, complete: true };
      return;
    }
    try {
      const r = await store.writeChunk(claims.key, { offset, total, contentType: ct }, ctx.req);
      ctx.set('Upload-Offset', String(r.offset));
      ctx.body = r;
    } catch (err) {
      if (err instanceof OffsetMismatchError) {
        ctx.set('Upload-Offset', String(err.currentOffset));
        throw new AppError(
          'offset_mismatch',
          err.message,
          { offset: err.currentOffset },
          {
            'Upload-Offset': String(err.currentOffset),
          },
        );
      }
      if (err instanceof TooLargeError) throw new AppError('upload_too_large', err.message);
      throw err;
    }
  });
  /**
   * The same grant as a one-shot multipart/form-data upload (field `file`): what DingTalk's
   * `dd.uploadFile` sends after `dd.chooseMedia` (no cookies; the signed URL is the credential).
   * The file streams to disk through the size limit; the answer is verified by `complete` as
   * usual (magic bytes, ffprobe), so a generic part type from the bridge is accepted here.
   */
  router.post('/uploads/:token', async (ctx: AppContext) => {
    const store = localStore(ctx);
    const claims = claimsOf(ctx, (ctx as unknown as { params: { token: string } }).params.token);
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > claims.max + 64 * 1024) throw recordingTooLarge(claims.max);
    await assertSessionOpen(ctx, claims.key);
    if (await store.head(claims.key)) {
      ctx.req.resume();
      throw new AppError('upload_complete', 'This recording was already uploaded');
    }
    let size = 0;
    try {
      const form = await openFormFile(ctx.req, ctx.get('content-type'));
      if (form.contentType && form.contentType !== claims.ct && !GENERIC_PART_TYPES.has(form.contentType)) {
        form.stream.resume();
        throw new AppError('wrong_type', `This upload must be ${claims.ct}`);
      }
      const limit = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          if (size > claims.max) cb(new TooLargeError('the upload is larger than allowed'));
          else cb(null, chunk);
        },
      });
      // A form cut short must fail the write, not leave it waiting.
      form.stream.on('error', (e) => limit.destroy(e));
      await store.put(claims.key, form.stream.pipe(limit), { contentType: claims.ct });
    } catch (err) {
      ctx.req.resume();
      if (err instanceof FormError) throw badRequest('invalid_form', `${err.message} (field "file")`);
      if (err instanceof TooLargeError) throw recordingTooLarge(claims.max);
      throw err;
    }
    if (size < claims.min) {
      await store.delete(claims.key);
      throw badRequest('upload_empty', 'The recording is empty (field "file")');
    }
    ctx.status = 201;
    ctx.body = { offset: size, complete: true };
  });
  router.get('/objects/*key', async (ctx: AppContext) => {
    const store = localStore(ctx);
    const raw = (ctx as unknown as { params: { key: string | string[] } }).params.key;
    const key = Array.isArray(raw) ? raw.join('/') : raw;
    const now = (ctx.deps.now?.() ?? new Date()).getTime();
    const r = verifyToken<{ use: 'get'; exp: number; key: string }>(
      store.downloadKey,
      String(ctx.query.t ?? ''),
      'get',
      now,
    );
    if (!r.ok || r.payload.key !== key) throw forbidden('url_invalid', 'This link is not valid or expired');
    const info = await store.head(key);
    if (!info) throw notFound('Object');
    ctx.set('Accept-Ranges', 'bytes');
    ctx.set('Cache-Control', 'private, no-store');
    ctx.type = info.contentType ?? 'application/octet-stream';
    const m = /^bytes=(\d*)-(\d*)$/.exec(ctx.get('range'));
    if (m && (m[1] || m[2])) {
      const start = m[1] ? Number(m[1]) : Math.max(0, info.size - Number(m[2]));
      const end = m[1] && m[2] ? Math.min(Number(m[2]), info.size - 1) : info.size - 1;
      if (start > end || start >= info.size) {
        ctx.status = 416;
        ctx.set('Content-Range', `bytes */${info.size}`);
        return;
      }
      ctx.status = 206;
      ctx.set('Content-Range', `bytes ${start}-${end}/${info.size}`);
      ctx.length = end - start + 1;
      ctx.body = await store.openRead(key, { start, end });
      return;
    }
    ctx.length = info.size;
    ctx.body = await store.openRead(key);
  });
  return router;
}
