/**
 * The request body reader: JSON only (`@koa/bodyparser`, which reads through co-body and
 * raw-body), with its errors turned into the product's own, each naming the field.
 *
 * What it accepts: POST, PUT and PATCH bodies of the JSON media types, gzip, deflate or brotli
 * compressed or not, up to `BODY_LIMIT_KB` (a Content-Length over it is refused before reading);
 * an empty body is `{}`; only an object or an array (strict mode); a `__proto__` key anywhere is
 * refused (co-body parses with `@hapi/bourne`). Other content types leave `{}` (the routes that
 * take a body refuse them with 415 in `validate`); other methods leave the body undefined.
 *
 * A reader of our own was written and measured (2026-12-07): it saved about 5 µs per JSON
 * request in isolation and nothing measurable on the upload-grant burst (BENCHMARKS.md, load),
 * so the library stays.
 */
import { bodyParser } from '@koa/bodyparser';
import type Koa from 'koa';
import { AppError } from '../errors';

/** The library's error (http-errors from raw-body, inflation's 415, a SyntaxError from parsing). */
type ReaderError = Error & { status?: number; type?: string };

/** The product's error for a body the reader refused: 413, 415 or 400, naming the field. */
function bodyError(err: ReaderError, limitBytes: number): AppError {
  if (err.status === 413)
    return new AppError('payload_too_large', `Request body is too large (at most ${limitBytes} bytes)`, [
      { field: 'body', message: `must be at most ${limitBytes} bytes`, kind: 'invalid' },
    ]);
  // The only 415 left with a fixed UTF-8 decoding: a Content-Encoding other than gzip, deflate or br.
  if (err.status === 415)
    return new AppError(
      'unsupported_media_type',
      `Request bodies may be sent as gzip, deflate or br (${err.message})`,
      [{ field: 'header.content-encoding', message: 'must be gzip, deflate, br or absent', kind: 'invalid' }],
    );
  // Not JSON, not an object or array, a __proto__ key, a body that could not be decompressed
  // or that broke off.
  return new AppError('malformed_body', `Request body is not valid JSON: ${err.message}`, [
    { field: 'body', message: err.message, kind: 'invalid' },
  ]);
}

/** Middleware: `ctx.request.body` from a JSON body of at most `limitBytes` (see the file comment). */
export function jsonBodyParser(limitBytes: number): Koa.Middleware {
  return bodyParser({
    enableTypes: ['json'],
    jsonLimit: limitBytes,
    encoding: 'utf-8',
    onError: (err: ReaderError) => {
      throw bodyError(err, limitBytes);
    },
  }) as unknown as Koa.Middleware;
}
