/**
 * HR pre-entry (待入职) records (reference §8): the new `POST /v1.0/hrm/preentries` and the old
 * `/topapi/smartwork/hrm/employee/addpreentry`. Like DingTalk, a mobile that already belongs to
 * an org member (or to an existing pre-entry) is refused; the old API answers "系统繁忙".
 * `newApiAvailable = false` makes the new API answer as if the app could not use it (tests the
 * product's fallback).
 */
import { randomUUID } from 'node:crypto';
import type { SandboxModule } from '../context';
import { NEW_API, OLD_API, sendNewApiError, sendOldApiError, sendOldApiOk } from '../errors';
import { bodyOf, newApi, oldApi, str } from '../gateway';
import { esc } from '../html';
import type { SandboxState } from '../state';

/** One pre-entry record. */
export interface PreEntry {
  tmpUserId: string;
  name: string;
  mobile: string;
  preEntryTime: number | string | null;
  via: 'new' | 'old';
  extendInfo: Record<string, unknown> | null;
}

interface HrmState {
  preentries: PreEntry[];
  newApiAvailable: boolean;
}

const STATES = new WeakMap<SandboxState, HrmState>();

/** The HRM state of a sandbox. */
export function hrmState(state: SandboxState): HrmState {
  let s = STATES.get(state);
  if (!s) {
    const created: HrmState = { preentries: [], newApiAvailable: true };
    s = created;
    STATES.set(state, created);
    state.onReset(() => {
      created.preentries = [];
      created.newApiAvailable = true;
    });
  }
  return s;
}

function taken(state: SandboxState, s: HrmState, mobile: string): boolean {
  return (
    state.org.employees.some((e) => e.mobile === mobile) || s.preentries.some((p) => p.mobile === mobile)
  );
}

/** `/v1.0/hrm/preentries`, the old `addpreentry`, `/api/sandbox/hrm/*` and the console tab. */
export const hrmModule: SandboxModule = ({ router, state, consoleTabs }) => {
  const s = hrmState(state);

  router.post('/v1.0/hrm/preentries', newApi(state, 'app'), (ctx) => {
    if (!s.newApiAvailable) return sendNewApiError(ctx, NEW_API.notFound);
    const b = bodyOf(ctx);
    const name = str(b.name);
    const mobile = str(b.mobile);
    if (!name || !mobile)
      return sendNewApiError(ctx, NEW_API.badRequest, `缺少参数 ${name ? 'mobile' : 'name'}`);
    // UNCONFIRMED wording for the new API; the old API's answer is documented as 系统繁忙.
    if (taken(state, s, mobile))
      return sendNewApiError(ctx, NEW_API.badRequest, '该手机号已在组织中或已是待入职员工');
    const rec: PreEntry = {
      tmpUserId: randomUUID().replace(/-/g, '').slice(0, 20),
      name,
      mobile,
      preEntryTime: typeof b.preEntryTime === 'number' ? b.preEntryTime : null,
      via: 'new',
      extendInfo: null,
    };
    s.preentries.push(rec);
    ctx.body = { tmpUserId: rec.tmpUserId };
  });

  router.post('/topapi/smartwork/hrm/employee/addpreentry', oldApi(state), (ctx) => {
    const p = bodyOf(ctx).param as Record<string, unknown> | undefined;
    const name = str(p?.name);
    const mobile = str(p?.mobile);
    if (!name || !mobile) return sendOldApiError(ctx, OLD_API.missingParameter);
    if (taken(state, s, mobile)) return sendOldApiError(ctx, OLD_API.busy);
    let extend: Record<string, unknown> | null = null;
    try {
      extend = p?.extend_info ? (JSON.parse(String(p.extend_info)) as Record<string, unknown>) : null;
    } catch {
      return sendOldApiError(ctx, OLD_API.missingParameter, 'extend_info 不是合法的 JSON');
    }
    const rec: PreEntry = {
      tmpUserId: randomUUID().replace(/-/g, '').slice(0, 20),
      name,
      mobile,
      preEntryTime: str(p?.pre_entry_time) ?? null,
      via: 'old',
      extendInfo: extend,
    };
    s.preentries.push(rec);
    sendOldApiOk(ctx, { success: true, userid: rec.tmpUserId });
  });

  router.get('/api/sandbox/hrm/preentries', (ctx) => {
    ctx.body = { preentries: s.preentries, newApiAvailable: s.newApiAvailable };
  });
  router.post('/api/sandbox/hrm/settings', (ctx) => {
    const b = (ctx.request.body ?? {}) as { newApiAvailable?: unknown };
    if (typeof b.newApiAvailable === 'boolean') s.newApiAvailable = b.newApiAvailable;
    ctx.body = { newApiAvailable: s.newApiAvailable };
  });

  consoleTabs.push({
    id: 'hrm',
    label: '待入职 Pre-entry',
    render() {
      const rows = s.preentries
        .map(
          (p) =>
            `<tr><td>${esc(p.name)}</td><td>${esc(p.mobile)}</td><td>${esc(String(p.preEntryTime ?? ''))}</td><td>${esc(p.via)}</td></tr>`,
        )
        .join('');
      return `<div class="card"><h2>智能人事 · 待入职 <span class="hint">HRM pre-entry records</span></h2>
<table><thead><tr><th>姓名</th><th>手机</th><th>入职时间</th><th>接口</th></tr></thead><tbody>${rows || '<tr><td colspan="4" class="muted">—</td></tr>'}</tbody></table></div>`;
    },
  });
};
