/**
 * DingTalk recruitment (钉钉招聘, `ats_1_0`, reference §8): `getCandidateByPhoneNumber`,
 * `queryCandidates` and `syncInterviewInfoToAIInterviewAssistant`, with the app-token check and
 * per-API QPS limit of every new-API call (gateway). The recruitment data is what a test or a
 * person put in through `/api/sandbox/ats/*`; the sandbox only stores and serves it.
 *
 * UNCONFIRMED and chosen here (the reference documents none of them): an unknown mobile is an
 * empty 200 body; `maxResults` above 100 and a missing required field are `InvalidParameter`;
 * an app without the recruitment permission (`authorized = false`) gets 403
 * `Forbidden.AccessDenied.AccessTokenPermissionDenied`.
 */
import type { Context } from 'koa';
import type { SandboxModule } from '../context';
import { NEW_API, sendNewApiError } from '../errors';
import { bodyOf, newApi, str } from '../gateway';
import { esc } from '../html';
import type { SandboxState } from '../state';

/** A candidate of the sandbox's recruitment system. */
export interface AtsCandidateRecord {
  candidateId: string;
  name: string;
  phoneNumber: string;
  /** Recruitment statistic the candidate counts in (e.g. `entry`, `interview`). */
  statIds: string[];
  userId: string | null;
  entryDate: number | null;
}

/** One accepted AI-interview sync, as sent. */
export interface AtsSync {
  at: number;
  appKey: string;
  body: Record<string, unknown>;
}

interface AtsState {
  candidates: AtsCandidateRecord[];
  syncs: AtsSync[];
  authorized: boolean;
  /** Answer the next n sync calls with 500 系统繁忙 (tests the product's retry). */
  failSyncs: number;
}

const STATES = new WeakMap<SandboxState, AtsState>();
const MAX_RESULTS = 100;
const DENIED = {
  status: 403,
  code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied',
  message: '没有调用该接口的权限',
} as const;

/** The recruitment state of a sandbox. */
export function atsState(state: SandboxState): AtsState {
  let s = STATES.get(state);
  if (!s) {
    const created: AtsState = { candidates: [], syncs: [], authorized: true, failSyncs: 0 };
    s = created;
    STATES.set(state, created);
    state.onReset(() => {
      created.candidates = [];
      created.syncs = [];
      created.authorized = true;
      created.failSyncs = 0;
    });
  }
  return s;
}

const missing = (ctx: Context, field: string) =>
  sendNewApiError(ctx, NEW_API.badRequest, `缺少参数 ${field}`);

/** Registers the ATS routes, the `/api/sandbox/ats/*` hooks and the console tab. */
export const atsModule: SandboxModule = ({ router, state, consoleTabs }) => {
  const s = atsState(state);
  const allowed = (ctx: Context) => {
    if (s.authorized) return true;
    sendNewApiError(ctx, DENIED);
    return false;
  };

  router.get('/v1.0/ats/candidates', newApi(state, 'app'), (ctx) => {
    if (!allowed(ctx)) return;
    const phone = str(ctx.query.phoneNumber);
    if (!phone) return missing(ctx, 'phoneNumber');
    const c = s.candidates.find((x) => x.phoneNumber === phone);
    ctx.body = c ? { candidateId: c.candidateId, name: c.name } : {};
  });

  router.post('/v1.0/ats/candidates/query', newApi(state, 'app'), (ctx) => {
    if (!allowed(ctx)) return;
    if (!str(ctx.query.opUserId)) return missing(ctx, 'opUserId');
    const b = bodyOf(ctx);
    const statId = str(b.statId);
    if (!statId) return missing(ctx, 'statId');
    const max = b.maxResults === undefined ? 20 : Number(b.maxResults);
    if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS)
      return sendNewApiError(ctx, NEW_API.badRequest, `maxResults 须在 1-${MAX_RESULTS} 之间`);
    const start = b.nextToken === undefined || b.nextToken === null ? 0 : Number(b.nextToken);
    if (!Number.isInteger(start) || start < 0)
      return sendNewApiError(ctx, NEW_API.badRequest, 'nextToken 无效');
    const all = s.candidates.filter((c) => c.statIds.includes(statId));
    const page = all.slice(start, start + max);
    const hasMore = start + max < all.length;
    ctx.body = {
      hasMore,
      totalCount: all.length,
      ...(hasMore ? { nextToken: start + max } : {}),
      list: page.map((c) => ({
        candidateId: c.candidateId,
        userId: c.userId ?? undefined,
        corpId: state.org.corpId,
        entryDate: c.entryDate ?? undefined,
      })),
    };
  });

  router.post('/v1.0/ats/ai/interview/interviewInfos/sync', newApi(state, 'app'), (ctx) => {
    if (!allowed(ctx)) return;
    if (s.failSyncs > 0) {
      s.failSyncs--;
      return sendNewApiError(ctx, NEW_API.internal);
    }
    const b = bodyOf(ctx);
    for (const f of ['isvId', 'interviewId'] as const) if (!str(b[f])) return missing(ctx, f);
    const list = b.candidateInfoVOList;
    if (!Array.isArray(list) || list.length === 0) return missing(ctx, 'candidateInfoVOList');
    for (const c of list as Array<Record<string, unknown>>)
      if (!str(c?.bizCandidateId)) return missing(ctx, 'candidateInfoVOList.bizCandidateId');
    s.syncs.push({ at: state.now(), appKey: (ctx.state.caller as { appKey: string }).appKey, body: b });
    ctx.body = { success: true, result: true };
  });

  router.post('/api/sandbox/ats/candidates', (ctx) => {
    const b = (ctx.request.body ?? {}) as Partial<AtsCandidateRecord>;
    if (!b.candidateId || !b.name || !b.phoneNumber) {
      ctx.status = 400;
      ctx.body = { error: 'candidateId, name and phoneNumber are required' };
      return;
    }
    const rec: AtsCandidateRecord = {
      candidateId: b.candidateId,
      name: b.name,
      phoneNumber: b.phoneNumber,
      statIds: b.statIds ?? [],
      userId: b.userId ?? null,
      entryDate: b.entryDate ?? null,
    };
    s.candidates = [...s.candidates.filter((c) => c.candidateId !== rec.candidateId), rec];
    ctx.body = rec;
  });
  router.get('/api/sandbox/ats/syncs', (ctx) => {
    ctx.body = { syncs: s.syncs, candidates: s.candidates, authorized: s.authorized };
  });
  router.post('/api/sandbox/ats/settings', (ctx) => {
    const b = (ctx.request.body ?? {}) as { authorized?: unknown; failSyncs?: unknown };
    if (typeof b.authorized === 'boolean') s.authorized = b.authorized;
    if (typeof b.failSyncs === 'number') s.failSyncs = b.failSyncs;
    ctx.body = { authorized: s.authorized, failSyncs: s.failSyncs };
  });

  consoleTabs.push({
    id: 'ats',
    label: '招聘 ATS',
    render() {
      const rows = s.syncs
        .map((x) => {
          const c = ((x.body.candidateInfoVOList as Array<Record<string, unknown>>) ?? [])[0] ?? {};
          return `<tr><td>${esc(new Date(x.at).toISOString())}</td><td>${esc(String(x.body.interviewId))}</td><td>${esc(String(c.name ?? ''))}</td><td>${esc(String(c.bizCandidateId ?? ''))}</td></tr>`;
        })
        .join('');
      return `<div class="card"><h2>钉钉招聘 · AI 面试助手 <span class="hint">interviewInfos/sync calls</span></h2>
<table><thead><tr><th>时间</th><th>interviewId</th><th>候选人</th><th>bizCandidateId</th></tr></thead><tbody>${rows || '<tr><td colspan="4" class="muted">—</td></tr>'}</tbody></table>
<p class="muted">${s.candidates.length} 位招聘候选人</p></div>`;
    },
  });
};
