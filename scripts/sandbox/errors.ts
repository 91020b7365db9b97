/**
 * DingTalk's two error shapes (reference §9), in one place so every module answers the same way.
 *
 * - New API (`api.dingtalk.com/v1.0/...`): non-2xx HTTP status, body `{ code, message, requestid }`.
 *   The SDK turns it into a TeaError whose `code` is `code` and whose message quotes `requestid`.
 * - Old API (`oapi.dingtalk.com`): always HTTP 200, body `{ errcode, errmsg, request_id }`; gateway
 *   errors wrap the real code in `errcode: 88` plus `sub_code` / `sub_msg`.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';

/** A new-API error: HTTP status, string code and the Chinese message DingTalk sends. */
export interface NewApiError {
  status: number;
  code: string;
  message: string;
}

/** An old-API error: numeric errcode, optionally wrapped by the gateway (errcode 88 + sub_code). */
export interface OldApiError {
  errcode: number;
  errmsg: string;
  sub_code?: string;
  sub_msg?: string;
}

/** New-API errors the sandbox produces. Codes and messages marked [PROBE] in the reference are exact. */
export const NEW_API = {
  /** Token header absent (also when sent as `Authorization: Bearer` or `?access_token=`). */
  missingToken: {
    status: 400,
    code: 'AuthenticationFailed.MissingParameter',
    message: '缺少参数 x-acs-dingtalk-access-token',
  },
  invalidToken: { status: 400, code: 'InvalidAuthentication', message: '不合法的access_token' },
  invalidClient: { status: 400, code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' },
  invalidAuthCode: { status: 400, code: 'invalidAuthCode', message: '无效的authCode' },
  // Not in the reference (UNCONFIRMED wording): a refresh token that is unknown, used or expired.
  invalidRefreshToken: { status: 400, code: 'invalidRefreshToken', message: '无效的refreshToken' },
  // Not in the reference (UNCONFIRMED wording): grantType other than the two documented ones.
  invalidGrantType: { status: 400, code: 'invalidGrantType', message: '无效的grantType' },
  qpsLimit: {
    status: 403,
    code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
    message: '应用调用该接口超过每秒限流阈值',
  },
  // The Alibaba Cloud gateway's answer for an unknown path or method.
  notFound: {
    status: 404,
    code: 'InvalidAction.NotFound',
    message: 'Specified api is not found, please check your url and method.',
  },
  badRequest: { status: 400, code: 'InvalidParameter', message: '参数错误' },
  internal: { status: 500, code: 'InternalError', message: '系统繁忙' },
} as const satisfies Record<string, NewApiError>;

/** Builds the gateway-wrapped form (errcode 88) with the errmsg format seen in real responses. */
function gateway(subCode: string, subMsg: string): OldApiError {
  return {
    errcode: 88,
    errmsg: `ding talk error[subcode=${subCode},submsg=${subMsg}]`,
    sub_code: subCode,
    sub_msg: subMsg,
  };
}

/** Old-API errors the sandbox produces. */
export const OLD_API = {
  blankToken: gateway('40000', 'access_token is blank'),
  invalidToken: gateway('40014', '不合法的access_token'),
  invalidCredentials: { errcode: 40096, errmsg: '不合法的appKey或appSecret' },
  invalidMethod: { errcode: 22, errmsg: 'Invalid method' },
  noSuchAuthCode: { errcode: 40078, errmsg: '不存在的临时授权码' },
  userNotFound: { errcode: 60121, errmsg: '找不到该用户' },
  // UNCONFIRMED wording; 60003 is DingTalk's "department does not exist".
  deptNotFound: { errcode: 60003, errmsg: '部门不存在' },
  // UNCONFIRMED wording; 40035 is DingTalk's "invalid parameter" code.
  missingParameter: { errcode: 40035, errmsg: '缺少参数' },
  qpsLimit: { errcode: 90018, errmsg: '应用调用该接口超过每秒限流阈值' },
  busy: { errcode: -1, errmsg: '系统繁忙' },
} as const satisfies Record<string, OldApiError>;

/** A request id in the style of DingTalk's (uppercase UUID). */
export function requestId(): string {
  return randomUUID().toUpperCase();
}

/** Answers a new-API call with an error. `message` overrides the default text. */
export function sendNewApiError(ctx: Context, err: NewApiError, message?: string): void {
  ctx.status = err.status;
  ctx.body = { code: err.code, message: message ?? err.message, requestid: requestId() };
}

/** Answers an old-API call with an error (HTTP 200, like DingTalk). */
export function sendOldApiError(ctx: Context, err: OldApiError, errmsg?: string): void {
  ctx.status = 200;
  ctx.body = { ...err, errmsg: errmsg ?? err.errmsg, request_id: requestId() };
}

/** Answers an old-API call with success: `{ errcode: 0, errmsg: "ok", ...payload, request_id }`. */
export function sendOldApiOk(ctx: Context, payload: Record<string, unknown>): void {
  ctx.status = 200;
  ctx.body = { errcode: 0, errmsg: 'ok', ...payload, request_id: requestId() };
}
