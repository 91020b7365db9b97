/**
 * DingTalk failures, classified once so callers decide by kind rather than by parsing codes.
 * Codes come from dingtalk-reference.md §9.
 */
export type DingTalkErrorKind =
  /** The app token is invalid or expired: refresh it and retry once. */
  | 'token'
  /** Per-app or global QPS throttle: wait about a second and retry. */
  | 'throttle'
  /** Monthly quota exhausted: not retryable. */
  | 'quota'
  /** Bad AppKey/AppSecret: configuration error, never retry. */
  | 'credentials'
  /** The auth code is unknown, used or expired. */
  | 'auth_code'
  /** The user does not exist or is not a member of the organisation. */
  | 'not_found'
  /** Network error or 5xx: retryable later. */
  | 'unavailable'
  | 'other';

/** A classified DingTalk API failure. */
export class DingTalkError extends Error {
  constructor(
    readonly kind: DingTalkErrorKind,
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'DingTalkError';
  }
}

const TOKEN_CODES = new Set(['40014', '42001', '40001', '40000']);
const THROTTLE_CODES = new Set(['90018', '90002']);

/** Classifies an old-API (`oapi`) response with a non-zero errcode. */
export function classifyOapi(body: {
  errcode?: number;
  errmsg?: string;
  sub_code?: string;
  sub_msg?: string;
}): DingTalkError {
  const code = String(body.errcode ?? 'unknown');
  const sub = body.sub_code ? String(body.sub_code) : undefined;
  const message = body.sub_msg ?? body.errmsg ?? 'DingTalk error';
  const effective = code === '88' && sub ? sub : code;
  let kind: DingTalkErrorKind = 'other';
  if (TOKEN_CODES.has(effective)) kind = 'token';
  else if (THROTTLE_CODES.has(effective)) kind = 'throttle';
  else if (effective === '90020') kind = 'quota';
  else if (effective === '40096' || effective === '40089') kind = 'credentials';
  else if (effective === '40078') kind = 'auth_code';
  else if (effective === '60121' || effective === '60111' || effective === '60003') kind = 'not_found';
  return new DingTalkError(kind, effective, `DingTalk oapi error ${effective}: ${message}`);
}

/** Classifies an error thrown by an `@alicloud/dingtalk` client (a TeaError) or by fetch. */
export function classifySdkError(err: unknown): DingTalkError {
  if (err instanceof DingTalkError) return err;
  const e = err as {
    code?: string;
    message?: string;
    statusCode?: number;
    data?: { statusCode?: number; code?: string; message?: string };
  };
  const status = e?.data?.statusCode ?? e?.statusCode;
  const code = String(e?.data?.code ?? e?.code ?? 'unknown');
  const message = e?.data?.message ?? e?.message ?? 'DingTalk error';
  let kind: DingTalkErrorKind = 'other';
  if (code === 'InvalidAuthentication' || status === 401) kind = 'token';
  else if (code.startsWith('Forbidden.AccessDenied.Qps')) kind = 'throttle';
  else if (code === 'Forbidden.AccessDenied.ApiCountLimitForOrg') kind = 'quota';
  else if (code === 'invalidClientIdOrSecret') kind = 'credentials';
  else if (code === 'invalidAuthCode' || code === 'invalidCode') kind = 'auth_code';
  else if (status !== undefined && status >= 500) kind = 'unavailable';
  else if (
    status === undefined &&
    /ECONNREFUSED|ETIMEDOUT|ECONNRESET|socket|fetch failed|timeout/i.test(String(message))
  )
    kind = 'unavailable';
  return new DingTalkError(kind, code, `DingTalk API error ${code}: ${message}`, status);
}
