/**
 * The request body reader: JSON only, read whole into memory up to a limit.
 *
 * It replaces `@koa/bodyparser` (with co-body, raw-body, inflation and type-is under it) on the
 * product's requests and keeps what it did: POST, PUT and PATCH only; the JSON media types it
 * recognised; gzip, deflate and brotli request bodies; 413 over the limit (before reading when
 * Content-Length says so); a UTF-8 byte-order mark ignored; an empty body as `{}`; only an
 * object or array accepted; and `__proto__` keys refused (`@hapi/bourne`, which co-body used).
 * Every API request passes through it and nearly all carry a small body or none: that library
 * stack cost about 4 % of the web process's CPU on the upload grant (option objects cloned and
 * merged per request, a stream decoder, content-type parsing twice; BENCHMARKS.md, load).
 * Its errors are the product's own, each naming the field: `payload_too_large` and
 * `malformed_body` (the body), `unsupported_media_type` (the Content-Encoding header).
 */
import zlib from 'node:zlib';
import bourne from '@hapi/bourne';
import type { Next } from 'koa';
import { AppError } from '../errors';
import type { AppContext } from './context';

/** Methods whose body is read (as `@koa/bodyparser`'s default). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** JSON media types read as JSON (as `@koa/bodyparser`'s default list). */
export const JSON_TYPES = [
  'application/json',
  'application/json-patch+json',
  'application/vnd.api+json',
  'application/csp-report',
  'application/reports+json',
  'application/scim+json',
];

/** Leading whitespace RFC 8259 allows, then an object or an array. */
const OBJECT_OR_ARRAY = /^[ \t\n\r]*[[{]/;

/** Whether the request's Content-Type is one of {@link JSON_TYPES}. */
export function isJsonType(ctx: Pick<AppContext, 'req' | 'request'>): boolean {
  const header = ctx.req.headers['content-type'];
  if (!header) return false;
  // The usual headers, decided without parsing them (type-is parses one into an object each
  // time); a trailing ";" is tolerated as the old reader did.
  const plain = header.toLowerCase().replace(/;$/, '');
  if (plain === 'application/json' || plain === 'application/json; charset=utf-8') return true;
  // Koa's check answers null for a request without a body: nothing to read then, as before.
  return typeof ctx.request.is(JSON_TYPES) === 'string';
}

/** 413, naming the limit. */
function tooLarge(limitBytes: number): AppError {
  return new AppError('payload_too_large', `Request body is too large (at most ${limitBytes} bytes)`, [
    { field: 'body', message: `must be at most ${limitBytes} bytes`, kind: 'invalid' },
  ]);
}

/** 400 for a body that is not the JSON accepted, saying why. */
function malformed(message: string): AppError {
  return new AppError('malformed_body', `Request body is not valid JSON: ${message}`, [
    { field: 'body', message, kind: 'invalid' },
  ]);
}

/** The decompressing stream for a Content-Encoding, the request itself for none, or an error. */
function decoded(req: AppContext['req']): NodeJS.ReadableStream {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  switch (encoding) {
    case 'identity':
      return req;
    case 'gzip':
    case 'deflate':
      // Unzip takes both gzip and zlib-wrapped deflate, as the old reader did.
      return req.pipe(zlib.createUnzip());
    case 'br':
      return req.pipe(zlib.createBrotliDecompress());
    default:
      throw new AppError(
        'unsupported_media_type',
        `Request bodies may be sent as gzip, deflate or br, not ${encoding}`,
        [
          {
            field: 'header.content-encoding',
            message: 'must be gzip, deflate, br or absent',
            kind: 'invalid',
          },
        ],
      );
  }
}

/**
 * Reads the whole body of `req` (decompressed) as a buffer of at most `limitBytes`. Over the
 * limit it stops reading and rejects with 413; a request that ends early or breaks off
 * rejects with 400 `malformed_body`.
 */
function readAll(req: AppContext['req'], limitBytes: number): Promise<Buffer> {
  const source = decoded(req);
  const identity = source === req;
  const declared = identity ? Number(req.headers['content-length']) : Number.NaN;
  if (declared > limitBytes) return Promise.reject(tooLarge(limitBytes));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: Error | null, body?: Buffer) => {
      if (settled) return;
      settled = true;
      source.removeListener('data', onData);
      source.removeListener('end', onEnd);
      source.removeListener('error', onError);
      req.removeListener('aborted', onAborted);
      if (err) {
        // Stop decompressing and reading; the response (an error) can go at once.
        // (As raw-body did: the rest of the body is not read into memory.)
        if (!identity) (source as zlib.Unzip).destroy();
        req.unpipe();
        req.pause();
        reject(err);
      } else resolve(body as Buffer);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) finish(tooLarge(limitBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      if (identity && Number.isFinite(declared) && declared !== size)
        finish(malformed(`the body has ${size} bytes, Content-Length says ${declared}`));
      else finish(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    // A decompression error (not gzip after all, truncated) or a broken connection.
    const onError = (err: Error) =>
      finish(
        identity
          ? malformed('the request broke off')
          : malformed(`it could not be decompressed (${err.message})`),
      );
    const onAborted = () => finish(malformed('the request broke off'));
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('error', onError);
    req.once('aborted', onAborted);
  });
}

/**
 * Parses a JSON body's text as the old reader's strict mode did: empty is `{}`, anything but an
 * object or array is refused, and so is a `__proto__` key anywhere in it.
 */
export function parseJsonBody(text: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text === '') return {};
  if (!OBJECT_OR_ARRAY.test(text)) throw malformed('only an object or an array is accepted');
  try {
    return bourne.parse(text, { protoAction: 'error' });
  } catch (err) {
    throw malformed((err as Error).message);
  }
}

/**
 * Middleware: `ctx.request.body` becomes the parsed JSON body of a POST, PUT or PATCH with a
 * JSON content type, `{}` for one with another content type (routes that take a body refuse
 * those with 415 in `validate`), and stays undefined for other methods.
 */
export function jsonBody(opts: { limitBytes: number }) {
  return async function readJsonBody(ctx: AppContext, next: Next): Promise<void> {
    const request = ctx.request as { body?: unknown };
    if (!BODY_METHODS.has(ctx.method) || request.body !== undefined) return next();
    if (ctx.req.closed) {
      // The client is gone; nothing will read an answer.
      ctx.status = 499;
      ctx.body = 'Request already closed';
      return;
    }
    if (!isJsonType(ctx)) request.body = {};
    else request.body = parseJsonBody((await readAll(ctx.req, opts.limitBytes)).toString('utf8'));
    return next();
  };
}
