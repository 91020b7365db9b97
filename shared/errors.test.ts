import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, type ErrorEntry, errorText, fieldLabel, isErrorCode } from './errors';

const root = path.resolve(import.meta.dirname, '..');

/** Source files under `dir` (tests excluded: they may quote codes they expect to be refused). */
function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join(root, dir, f));
}

/** A code found in source, with where it was found and the status its helper implies. */
interface Found {
  code: string;
  file: string;
  status: number | null;
}

const HELPER_STATUS: Record<string, number> = {
  badRequest: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  upstreamError: 502,
};

/**
 * Error codes written in server source: first arguments of the error helpers and `new AppError`,
 * `notFound`'s second argument, helper defaults, and `code: '...'` in error bodies and results.
 * Codes built from a template (`callback_${reason}`) are checked by the compiler instead, since
 * `AppError` only accepts catalogued codes.
 */
function codesIn(text: string, file: string): Found[] {
  const found: Found[] = [];
  for (const m of text.matchAll(
    /\b(badRequest|unauthorized|forbidden|conflict|upstreamError)\(\s*'([a-z0-9_]+)'/g,
  ))
    found.push({ code: m[2], file, status: HELPER_STATUS[m[1]] });
  for (const m of text.matchAll(/\bnotFound\((?:[^()]|\([^()]*\))*?,\s*'([a-z0-9_]+)'\s*\)/g))
    found.push({ code: m[1], file, status: 404 });
  for (const m of text.matchAll(/\bnew AppError\(\s*'([a-z0-9_]+)'/g))
    found.push({ code: m[1], file, status: null });
  for (const m of text.matchAll(/\bErrorCodeWithStatus<(\d{3})> = '([a-z0-9_]+)'/g))
    found.push({ code: m[2], file, status: Number(m[1]) });
  for (const m of text.matchAll(/\bcode: '([a-z0-9_]+)'/g)) found.push({ code: m[1], file, status: null });
  return found;
}

function serverCodes(): Found[] {
  return sources('server').flatMap((file) => codesIn(readFileSync(file, 'utf8'), path.relative(root, file)));
}

/** Codes the mini-app makes up itself: `new ApiError(status, 'code', ...)`, sign-in failures. */
function clientCodes(): Found[] {
  const found: Found[] = [];
  for (const file of sources('miniapp/src')) {
    const text = readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    for (const m of text.matchAll(/\bnew ApiError\(\s*[^,]+,\s*'([a-z0-9_]+)'/g))
      found.push({ code: m[1], file: rel, status: null });
    for (const m of text.matchAll(/\bcode: '([a-z0-9_]+)'/g))
      found.push({ code: m[1], file: rel, status: null });
    for (const m of text.matchAll(/\btoFailure\(\s*\w+,\s*'([a-z0-9_]+)'/g))
      found.push({ code: m[1], file: rel, status: null });
  }
  return found;
}

const entries = Object.entries(ERRORS) as Array<[string, ErrorEntry]>;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('error catalogue', () => {
  it.each(entries)('%s has a status and complete zh and en texts', (code, entry) => {
    expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(
      entry.status === 0 || (Number.isInteger(entry.status) && entry.status >= 400 && entry.status < 600),
    ).toBe(true);
    expect(entry.zh.trim()).not.toBe('');
    expect(entry.en.trim()).not.toBe('');
    // The plain texts are shown when details are missing, so they must not need any.
    expect(placeholders(entry.zh)).toEqual([]);
    expect(placeholders(entry.en)).toEqual([]);
    // Chinese text is Chinese, not a copy of the English.
    expect(entry.zh).toMatch(/[\u4e00-\u9fff]/);
    if (entry.withDetails) {
      expect(placeholders(entry.withDetails.zh).length).toBeGreaterThan(0);
      expect(placeholders(entry.withDetails.zh)).toEqual(placeholders(entry.withDetails.en));
    }
  });

  it('lists every code the server throws, with the status its helper implies', () => {
    const found = serverCodes();
    // The scan must see the server at all (a broken pattern would pass vacuously).
    expect(new Set(found.map((f) => f.code)).size).toBeGreaterThan(80);
    for (const known of [
      'validation_failed',
      'rate_limited',
      'route_not_found',
      'internal_error',
      'slot_full',
    ])
      expect(found.map((f) => f.code)).toContain(known);
    const missing = found.filter((f) => !isErrorCode(f.code)).map((f) => `${f.code} (${f.file})`);
    expect(missing).toEqual([]);
    const clientOnly = found.filter((f) => isErrorCode(f.code) && ERRORS[f.code].status === 0);
    expect(clientOnly.map((f) => `${f.code} (${f.file})`)).toEqual([]);
    const wrongStatus = found
      .filter((f) => f.status !== null && isErrorCode(f.code) && ERRORS[f.code].status !== f.status)
      .map(
        (f) =>
          `${f.code}: helper ${f.status}, catalogue ${isErrorCode(f.code) ? ERRORS[f.code].status : '?'}`,
      );
    expect(wrongStatus).toEqual([]);
  });

  it("covers toAppError's mappings", () => {
    const file = 'server/kernel/http/errors.ts';
    const text = readFileSync(path.join(root, file), 'utf8');
    const body = text.slice(
      text.indexOf('export function toAppError'),
      text.indexOf('export function sendError'),
    );
    const found = codesIn(body, file).map((f) => f.code);
    expect(found).toEqual(
      expect.arrayContaining([
        'validation_failed',
        'duplicate',
        'reference_conflict',
        'concurrent_update',
        'payload_too_large',
        'unsupported_media_type',
        'malformed_body',
        'method_not_allowed',
      ]),
    );
    expect(found.filter((c) => !isErrorCode(c))).toEqual([]);
  });

  it('lists every code the mini-app makes up itself', () => {
    const found = clientCodes();
    for (const known of ['network_error', 'bad_response', 'oauth_cancelled', 'dingtalk_auth_failed'])
      expect(found.map((f) => f.code)).toContain(known);
    expect(found.filter((f) => !isErrorCode(f.code)).map((f) => `${f.code} (${f.file})`)).toEqual([]);
  });
});

describe('errorText', () => {
  it('gives the text in the asked language', () => {
    expect(errorText('slot_full', 'zh-CN')).toBe(ERRORS.slot_full.zh);
    expect(errorText('slot_full', 'en')).toBe(ERRORS.slot_full.en);
  });

  it('fills placeholders from details', () => {
    expect(errorText('rate_limited', 'zh-CN', { retryAfterSeconds: 30 })).toBe(
      '操作过于频繁，请 30 秒后再试。',
    );
    expect(errorText('rate_limited', 'en', { retryAfterSeconds: 30 })).toBe(
      'Too many attempts. Please try again in 30 seconds.',
    );
    expect(errorText('beyond_horizon', 'zh-CN', { horizonDays: 14 })).toContain('14 天');
  });

  it('falls back to the plain text when details lack a value', () => {
    expect(errorText('rate_limited', 'zh-CN')).toBe(ERRORS.rate_limited.zh);
    expect(errorText('rate_limited', 'zh-CN', { other: 1 })).toBe(ERRORS.rate_limited.zh);
    expect(errorText('rate_limited', 'en', { retryAfterSeconds: null })).toBe(ERRORS.rate_limited.en);
    expect(errorText('rate_limited', 'en', [30])).toBe(ERRORS.rate_limited.en);
  });

  it('names the field of a validation failure in the reader’s language', () => {
    const missingReason = [
      {
        field: 'body.reason',
        message: 'Too small: expected string to have >=1 characters',
        kind: 'required',
      },
    ];
    expect(errorText('validation_failed', 'zh-CN', missingReason)).toBe('请填写：原因');
    expect(errorText('validation_failed', 'en', missingReason)).toBe('Please fill in: reason');
    const badEmail = [{ field: 'body.email', message: 'Invalid email address', kind: 'invalid' }];
    expect(errorText('validation_failed', 'zh-CN', badEmail)).toBe('请检查：邮箱');
    // A field without a label shows its path, without the request part.
    const odd = [{ field: 'body.weekly.mon.0.end', message: 'x', kind: 'invalid' }];
    expect(errorText('validation_failed', 'en', odd)).toBe('Please check: weekly.mon.0.end');
    // No usable details: the plain sentence, never the English message.
    expect(errorText('validation_failed', 'zh-CN')).toBe(ERRORS.validation_failed.zh);
    expect(errorText('validation_failed', 'zh-CN', [{ message: 'Invalid body.reason' }])).toBe(
      ERRORS.validation_failed.zh,
    );
  });

  it('labels nested and indexed fields by their last name', () => {
    expect(fieldLabel('body.offer.startDate', 'zh-CN')).toBe('入职日期');
    expect(fieldLabel('body.ratings.2.score', 'en')).toBe('score');
    expect(fieldLabel('query.limit', 'en')).toBe('limit');
  });

  it('never shows an unknown code or the raw message', () => {
    expect(errorText('something_new', 'zh-CN', { message: 'Internal detail' })).toBe(ERRORS.unknown.zh);
    expect(errorText('something_new', 'en')).toBe(ERRORS.unknown.en);
    expect(errorText('http_404', 'en')).toBe(ERRORS.unknown.en);
    // A 5xx without our error body (a proxy's page) means the server cannot be reached.
    expect(errorText('http_503', 'zh-CN')).toBe(ERRORS.config_unavailable.zh);
    // Inherited object keys are not codes.
    expect(errorText('toString', 'en')).toBe(ERRORS.unknown.en);
  });
});
