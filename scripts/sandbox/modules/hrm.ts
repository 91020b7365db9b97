/**
 * HR pre-entry (待入职) records (reference §8): the new `POST /v1.0/hrm/preentries` and the old
 * `/topapi/smartwork/hrm/employee/addpreentry`. Like DingTalk, a mobile that already belongs to
 * an org member (or to an existing pre-entry) is refused; the old API answers "系统繁忙".
 * `newApiAvailable = false` makes the new API answer as if the app could not use it (tests the
 * product's fallback).
 *
 * Employees' HR records (seeded by tests and by the demo's history option through
 * `/api/sandbox/hrm/employees`): probation status, 转正 date, leaving and performance grades,
 * served by the APIs the product reads them with (all through the SDK, reference §8):
 * - `POST /topapi/v2/user/getbymobile` `{mobile}` -> `result.userid` (60121 when nobody has it;
 *   people who left are no longer members, as in DingTalk);
 * - `POST /v1.0/hrm/rosters/lists/query` (getEmployeeRosterByField): `sys01-employeeStatus`
 *   (2 试用, 3 正式, 5 待离职) and `sys01-regularTime` (实际转正日期) of members;
 * - `GET /v1.0/hrm/employees/dimissionInfos?userIdList=[...]`: `lastWorkDay` (ms) and
 *   `preStatus` (the status before leaving: 2 still in probation, 3 regular);
 * - `POST /v1.0/hrm/masters/datas/query` (masterDataQuery, scope `PERFORMANCE`): one result per
 *   appraisal with fields `performanceValue` (绩效等级) and `periodName` (考核周期).
 * The field codes of the roster are DingTalk's documented ones; the performance view's field codes
 * are UNCONFIRMED (the SDK only names `performanceValue`). `/api/sandbox/hrm/fail` makes the next
 * N HR-record calls fail (throttled or HTTP 500) for the product's failure paths.
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

/** An employee's HR record (智能人事). */
export interface HrRecord {
  userId: string;
  mobile: string;
  name: string;
  /** In probation, regular (转正), or left the company. */
  status: 'probation' | 'regular' | 'left';
  /** 实际转正日期, `yyyy-MM-dd`. */
  regularDate: string | null;
  /** Left: the last working day (ms) and whether they had been made regular before. */
  lastWorkDay: number | null;
  preStatus: 2 | 3 | null;
  performance: Array<{ period: string; grade: string }>;
}

interface HrmState {
  preentries: PreEntry[];
  newApiAvailable: boolean;
  records: Map<string, HrRecord>;
  /** HR-record calls still to fail, and how. */
  fail: { count: number; kind: 'throttle' | '5xx' };
}

const STATES = new WeakMap<SandboxState, HrmState>();

/** The HRM state of a sandbox. */
export function hrmState(state: SandboxState): HrmState {
  let s = STATES.get(state);
  if (!s) {
    const created: HrmState = {
      preentries: [],
      newApiAvailable: true,
      records: new Map(),
      fail: { count: 0, kind: 'throttle' },
    };
    s = created;
    STATES.set(state, created);
    state.onReset(() => {
      created.preentries = [];
      created.newApiAvailable = true;
      created.records.clear();
      created.fail = { count: 0, kind: 'throttle' };
    });
  }
  return s;
}

function taken(state: SandboxState, s: HrmState, mobile: string): boolean {
  return (
    state.org.employees.some((e) => e.mobile === mobile) || s.preentries.some((p) => p.mobile === mobile)
  );
}

/** A roster field as getEmployeeRosterByField returns it. */
function rosterField(groupId: string, fieldCode: string, fieldName: string, label: string, value: string) {
  return { groupId, fieldCode, fieldName, fieldValueList: [{ itemIndex: 0, label, value }] };
}

const STATUS_CODE = { probation: '2', regular: '3' } as const;
const STATUS_LABEL = { probation: '试用', regular: '正式' } as const;

/** Parses a seeded HR record; a message naming the bad field, or the record. */
function parseRecord(b: Record<string, unknown>, prev: HrRecord | undefined): HrRecord | string {
  const userId = str(b.userId);
  if (!userId) return 'userId is required';
  const mobile = str(b.mobile) ?? prev?.mobile;
  if (!mobile) return 'mobile is required';
  const status = b.status ?? prev?.status ?? 'probation';
  if (status !== 'probation' && status !== 'regular' && status !== 'left')
    return 'status must be probation, regular or left';
  const perf = b.performance ?? prev?.performance ?? [];
  if (
    !Array.isArray(perf) ||
    !perf.every((p) => p && typeof p.period === 'string' && typeof p.grade === 'string')
  )
    return 'performance must be [{ period, grade }]';
  const preStatus = b.preStatus ?? prev?.preStatus ?? null;
  if (preStatus !== null && preStatus !== 2 && preStatus !== 3) return 'preStatus must be 2 or 3';
  return {
    userId,
    mobile,
    name: str(b.name) ?? prev?.name ?? userId,
    status,
    regularDate: str(b.regularDate) ?? prev?.regularDate ?? null,
    lastWorkDay: typeof b.lastWorkDay === 'number' ? b.lastWorkDay : (prev?.lastWorkDay ?? null),
    preStatus: status === 'left' ? (preStatus ?? 2) : null,
    performance: perf as HrRecord['performance'],
  };
}

/** `/v1.0/hrm/preentries`, the old `addpreentry`, `/api/sandbox/hrm/*` and the console tab. */
export const hrmModule: SandboxModule = ({ router, state, consoleTabs }) => {
  const s = hrmState(state);

  /** Whether this HR-record call is one the test asked to fail (answered here if so). */
  const failed = (ctx: Parameters<typeof sendNewApiError>[0], old = false): boolean => {
    if (s.fail.count <= 0) return false;
    s.fail.count -= 1;
    if (old) sendOldApiError(ctx, s.fail.kind === 'throttle' ? OLD_API.qpsLimit : OLD_API.busy);
    else sendNewApiError(ctx, s.fail.kind === 'throttle' ? NEW_API.qpsLimit : NEW_API.internal);
    return true;
  };
  const members = () => [...s.records.values()].filter((r) => r.status !== 'left');

  router.post('/topapi/v2/user/getbymobile', oldApi(state), (ctx) => {
    if (failed(ctx, true)) return;
    const mobile = str(bodyOf(ctx).mobile);
    if (!mobile) return sendOldApiError(ctx, OLD_API.missingParameter, '缺少参数 mobile');
    const userid =
      state.org.employees.find((e) => e.mobile === mobile)?.userid ??
      members().find((r) => r.mobile === mobile)?.userId;
    if (!userid) return sendOldApiError(ctx, OLD_API.userNotFound);
    sendOldApiOk(ctx, { result: { userid } });
  });

  router.post('/v1.0/hrm/rosters/lists/query', newApi(state, 'app'), (ctx) => {
    if (failed(ctx)) return;
    const b = bodyOf(ctx);
    const ids = Array.isArray(b.userIdList) ? b.userIdList.map(String) : [];
    if (!ids.length || ids.length > 100)
      return sendNewApiError(ctx, NEW_API.badRequest, 'userIdList 需为 1-100 个 userId');
    const fields = Array.isArray(b.fieldFilterList) ? b.fieldFilterList.map(String) : [];
    const result = ids
      .map((id) => s.records.get(id))
      .filter((r): r is HrRecord => !!r && r.status !== 'left')
      .map((r) => ({
        corpId: 'ding-sandbox',
        userId: r.userId,
        fieldDataList: [
          rosterField(
            'sys01',
            'sys01-employeeStatus',
            '员工状态',
            STATUS_LABEL[r.status as 'probation' | 'regular'],
            STATUS_CODE[r.status as 'probation' | 'regular'],
          ),
          ...(r.regularDate
            ? [rosterField('sys01', 'sys01-regularTime', '实际转正日期', r.regularDate, r.regularDate)]
            : []),
        ].filter((f) => !fields.length || fields.includes(f.fieldCode)),
      }));
    ctx.body = { result };
  });

  router.get('/v1.0/hrm/employees/dimissionInfos', newApi(state, 'app'), (ctx) => {
    if (failed(ctx)) return;
    let ids: string[] = [];
    try {
      const raw = JSON.parse(String(ctx.query.userIdList ?? '[]'));
      ids = Array.isArray(raw) ? raw.map(String) : [];
    } catch {
      return sendNewApiError(ctx, NEW_API.badRequest, 'userIdList 不是合法的 JSON 数组');
    }
    if (!ids.length || ids.length > 50)
      return sendNewApiError(ctx, NEW_API.badRequest, 'userIdList 需为 1-50 个 userId');
    ctx.body = {
      result: ids
        .map((id) => s.records.get(id))
        .filter((r): r is HrRecord => !!r && r.status === 'left')
        .map((r) => ({
          userId: r.userId,
          name: r.name,
          lastWorkDay: r.lastWorkDay,
          preStatus: r.preStatus,
          status: 2,
          reasonMemo: '',
          voluntaryReason: [],
          passiveReason: [],
        })),
    };
  });

  router.post('/v1.0/hrm/masters/datas/query', newApi(state, 'app'), (ctx) => {
    if (failed(ctx)) return;
    const b = bodyOf(ctx);
    const ids = Array.isArray(b.relationIds) ? b.relationIds.map(String) : [];
    if (str(b.scopeCode) !== 'PERFORMANCE' || !str(b.viewEntityCode) || typeof b.tenantId !== 'number')
      return sendNewApiError(ctx, NEW_API.badRequest, '缺少参数 scopeCode / viewEntityCode / tenantId');
    if (!ids.length) return sendNewApiError(ctx, NEW_API.badRequest, '缺少参数 relationIds');
    const all = ids.flatMap((id) =>
      (s.records.get(id)?.performance ?? []).map((p, i) => ({
        outerId: `${id}-${i}`,
        relationId: id,
        scopeCode: 'PERFORMANCE',
        viewEntityCode: str(b.viewEntityCode),
        viewEntityFieldVOList: [
          {
            fieldCode: 'performanceValue',
            fieldName: '绩效等级',
            fieldType: '1',
            fieldDataVO: { key: p.grade, value: p.grade },
          },
          {
            fieldCode: 'periodName',
            fieldName: '考核周期',
            fieldType: '1',
            fieldDataVO: { key: p.period, value: p.period },
          },
        ],
      })),
    );
    const start = typeof b.nextToken === 'number' ? b.nextToken : 0;
    const size = Math.min(100, typeof b.maxResults === 'number' && b.maxResults > 0 ? b.maxResults : 10);
    const page = all.slice(start, start + size);
    const more = start + size < all.length;
    ctx.body = {
      success: true,
      result: page,
      hasMore: more,
      nextToken: more ? start + size : 0,
      total: all.length,
    };
  });

  router.post('/api/sandbox/hrm/employees', (ctx) => {
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    const list = Array.isArray(b.employees) ? b.employees : [b];
    const out: HrRecord[] = [];
    for (const item of list) {
      const rec = parseRecord(
        item as Record<string, unknown>,
        s.records.get(String((item as Record<string, unknown>).userId)),
      );
      if (typeof rec === 'string') {
        ctx.status = 400;
        ctx.body = { error: rec };
        return;
      }
      out.push(rec);
    }
    for (const r of out) s.records.set(r.userId, r);
    ctx.body = { employees: out };
  });
  router.get('/api/sandbox/hrm/employees', (ctx) => {
    ctx.body = { employees: [...s.records.values()] };
  });
  router.post('/api/sandbox/hrm/fail', (ctx) => {
    const b = (ctx.request.body ?? {}) as { count?: unknown; kind?: unknown };
    s.fail = {
      count: typeof b.count === 'number' ? b.count : 1,
      kind: b.kind === '5xx' ? '5xx' : 'throttle',
    };
    ctx.body = s.fail;
  });

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
    id: 'hrm-records',
    label: '人事档案 HR records',
    render() {
      const rows = [...s.records.values()]
        .map(
          (r) =>
            `<tr><td>${esc(r.name)}</td><td>${esc(r.userId)}</td><td>${esc(r.status)}</td><td>${esc(r.regularDate ?? '')}</td><td>${esc(r.performance.map((p) => `${p.period}: ${p.grade}`).join(', '))}</td></tr>`,
        )
        .join('');
      return `<div class="card"><h2>智能人事 · 转正与绩效 <span class="hint">probation and performance</span></h2>
<table><thead><tr><th>姓名</th><th>userId</th><th>状态</th><th>转正日期</th><th>绩效</th></tr></thead><tbody>${rows || '<tr><td colspan="5" class="muted">—</td></tr>'}</tbody></table></div>`;
    },
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
