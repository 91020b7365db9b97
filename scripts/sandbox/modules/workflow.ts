/**
 * OA approval (`workflow_1_0`, reference §4): form templates (`formCreate`), instances
 * (`startProcessInstance`, `getProcessInstance`, `executeProcessInstance`,
 * `terminateProcessInstance`) and the approvers' inboxes. Deciding a task (console tab
 * "审批 Approvals" or `/api/sandbox/approvals/*`) publishes `bpms_task_change` and
 * `bpms_instance_change` exactly as DingTalk would, through modules/stream.ts.
 *
 * Approval semantics: one approval node with the `approvers` of the request. AND (会签): every
 * approver must agree; OR (或签): the first decision ends it and cancels the other tasks; NONE:
 * a single approver. Any refusal ends the instance as `refuse`.
 * Error codes for workflow calls are not in the reference (UNCONFIRMED wording).
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import { z } from 'zod';
import type { SandboxModule } from '../context';
import { NEW_API, type NewApiError, sendNewApiError } from '../errors';
import { bodyOf, callerOf, newApi, str } from '../gateway';
import { esc } from '../html';
import type { SandboxState } from '../state';
import { publishEvent } from './stream';

/** Workflow errors (UNCONFIRMED codes; shaped like every new-API error). */
export const WORKFLOW_ERRORS = {
  processCodeNotFound: { status: 400, code: 'InvalidParameter.ProcessCode', message: '流程模板不存在' },
  missingForm: { status: 400, code: 'MissingParameter', message: '缺少参数 formComponentValues' },
  unknownUser: { status: 400, code: 'InvalidParameter.UserId', message: '用户不存在' },
  instanceNotFound: { status: 400, code: 'InvalidParameter.ProcessInstanceId', message: '审批实例不存在' },
  notRunning: { status: 400, code: 'InvalidOperation.InstanceFinished', message: '审批实例已结束' },
  taskNotFound: { status: 400, code: 'InvalidParameter.TaskId', message: '任务不存在或已处理' },
  missingName: { status: 400, code: 'MissingParameter', message: '缺少参数 name' },
} as const satisfies Record<string, NewApiError>;

interface Form {
  processCode: string;
  name: string;
  description: string;
  components: Array<{ componentType: string; props: Record<string, unknown> }>;
}

interface Task {
  taskId: number;
  userId: string;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELED';
  result: 'NONE' | 'AGREE' | 'REFUSE';
  activityId: string;
  createTime: number;
  finishTime: number | null;
}

interface OperationRecord {
  userId: string;
  date: number;
  type: string;
  result: string;
  remark: string;
  showName: string;
}

/** One approval instance. */
export interface Instance {
  processInstanceId: string;
  processCode: string;
  title: string;
  businessId: string;
  originatorUserId: string;
  deptId: number;
  status: 'RUNNING' | 'COMPLETED' | 'TERMINATED';
  result: '' | 'agree' | 'refuse';
  mode: 'AND' | 'OR' | 'NONE';
  approverUserIds: string[];
  ccUserIds: string[];
  form: Array<{ name: string; value: string }>;
  bizDetailPageUrl: string | null;
  tasks: Task[];
  records: OperationRecord[];
  createTime: number;
  finishTime: number | null;
}

interface WorkflowState {
  forms: Map<string, Form>;
  instances: Map<string, Instance>;
  nextTask: number;
}

const STATES = new WeakMap<SandboxState, WorkflowState>();

/** The workflow state of a sandbox. */
export function workflowState(state: SandboxState): WorkflowState {
  let s = STATES.get(state);
  if (!s) {
    const created: WorkflowState = { forms: new Map(), instances: new Map(), nextTask: 60_000_000_001 };
    s = created;
    STATES.set(state, created);
    state.onReset(() => {
      created.forms.clear();
      created.instances.clear();
    });
  }
  return s;
}

/** `yyyy-MM-ddTHH:mmZ` as the reference shows for times in `getProcessInstance`. */
function fmt(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

function baseFields(state: SandboxState, i: Instance) {
  return {
    processInstanceId: i.processInstanceId,
    processCode: i.processCode,
    bizCategoryId: '',
    businessId: i.businessId,
    businessType: '',
    title: i.title,
    url: `https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?procInsId=${i.processInstanceId}&corpid=${state.org.corpId}`,
    createTime: i.createTime,
  };
}

/**
 * An approver acts on their task (agree/refuse with a remark), as in the DingTalk client.
 * Throws a {@link WORKFLOW_ERRORS} entry when the task is not theirs or not running.
 */
export function decideTask(
  state: SandboxState,
  instanceId: string,
  userId: string,
  result: 'agree' | 'refuse',
  remark: string,
  taskId?: number,
): Instance {
  const s = workflowState(state);
  const i = s.instances.get(instanceId);
  if (!i) throw WORKFLOW_ERRORS.instanceNotFound;
  if (i.status !== 'RUNNING') throw WORKFLOW_ERRORS.notRunning;
  const task = i.tasks.find(
    (t) => t.userId === userId && t.status === 'RUNNING' && (taskId === undefined || t.taskId === taskId),
  );
  if (!task) throw WORKFLOW_ERRORS.taskNotFound;
  const now = state.now();
  task.status = 'COMPLETED';
  task.result = result === 'agree' ? 'AGREE' : 'REFUSE';
  task.finishTime = now;
  const name = state.employee(userId)?.name ?? userId;
  i.records.push({
    userId,
    date: now,
    type: 'EXECUTE_TASK_NORMAL',
    result: task.result,
    remark,
    showName: name,
  });
  publishEvent(state, 'bpms_task_change', {
    ...baseFields(state, i),
    taskId: task.taskId,
    type: 'finish',
    result,
    remark,
    staffId: userId,
    finishTime: now,
  });
  const running = i.tasks.filter((t) => t.status === 'RUNNING');
  const ends = result === 'refuse' || i.mode !== 'AND' || running.length === 0;
  if (!ends) return i;
  for (const t of running) {
    t.status = 'CANCELED';
    t.finishTime = now;
    publishEvent(state, 'bpms_task_change', {
      ...baseFields(state, i),
      taskId: t.taskId,
      type: 'cancel',
      staffId: t.userId,
      finishTime: now,
    });
  }
  i.status = 'COMPLETED';
  i.result = result;
  i.finishTime = now;
  publishEvent(state, 'bpms_instance_change', {
    ...baseFields(state, i),
    type: 'finish',
    result,
    staffId: i.originatorUserId,
    finishTime: now,
  });
  return i;
}

/** The originator (or an admin) withdraws a running instance. */
export function terminateInstance(
  state: SandboxState,
  instanceId: string,
  operatingUserId: string,
  remark: string,
): Instance {
  const i = workflowState(state).instances.get(instanceId);
  if (!i) throw WORKFLOW_ERRORS.instanceNotFound;
  if (i.status !== 'RUNNING') throw WORKFLOW_ERRORS.notRunning;
  const now = state.now();
  for (const t of i.tasks)
    if (t.status === 'RUNNING') Object.assign(t, { status: 'CANCELED', finishTime: now });
  i.status = 'TERMINATED';
  i.finishTime = now;
  i.records.push({
    userId: operatingUserId,
    date: now,
    type: 'TERMINATE_PROCESS_INSTANCE',
    result: 'NONE',
    remark,
    showName: state.employee(operatingUserId)?.name ?? operatingUserId,
  });
  publishEvent(state, 'bpms_instance_change', {
    ...baseFields(state, i),
    type: 'terminate',
    staffId: operatingUserId,
    finishTime: now,
  });
  return i;
}

function presentInstance(i: Instance) {
  return {
    title: i.title,
    status: i.status,
    result: i.result,
    businessId: i.businessId,
    bizData: '',
    originatorUserId: i.originatorUserId,
    originatorDeptId: String(i.deptId),
    originatorDeptName: '',
    createTime: fmt(i.createTime),
    finishTime: i.finishTime ? fmt(i.finishTime) : '',
    approverUserIds: i.approverUserIds,
    ccUserIds: i.ccUserIds,
    formComponentValues: i.form.map((f, n) => ({
      id: `field-${n}`,
      name: f.name,
      value: f.value,
      extValue: '',
      componentType: 'TextField',
      bizAlias: '',
    })),
    operationRecords: i.records.map((r) => ({
      ...r,
      date: fmt(r.date),
      activityId: 'approve_node',
      attachments: [],
      images: [],
    })),
    tasks: i.tasks.map((t) => ({
      taskId: t.taskId,
      userId: t.userId,
      status: t.status,
      result: t.result,
      activityId: t.activityId,
      createTime: fmt(t.createTime),
      finishTime: t.finishTime ? fmt(t.finishTime) : '',
      mobileUrl: `https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?procInsId=${i.processInstanceId}&taskId=${t.taskId}`,
      pcUrl: `https://aflow.dingtalk.com/dingtalk/pc/query/pchomepage.htm?procInsId=${i.processInstanceId}`,
    })),
  };
}

function send(ctx: Context, err: unknown) {
  const e = err as NewApiError;
  if (e && typeof e.status === 'number' && typeof e.code === 'string') return sendNewApiError(ctx, e);
  throw err;
}

const decideBody = z.strictObject({
  userid: z.string().min(1),
  result: z.enum(['agree', 'refuse']),
  remark: z.string().max(500).default(''),
});

/** Routes of the workflow API, the approvals test API and the approvals console tab. */
export const workflowModule: SandboxModule = ({ router, state, consoleTabs }) => {
  const s = workflowState(state);

  router.post('/v1.0/workflow/forms', newApi(state, 'app'), (ctx) => {
    const b = bodyOf(ctx);
    const name = str(b.name);
    if (!name) return sendNewApiError(ctx, WORKFLOW_ERRORS.missingName);
    if (!Array.isArray(b.formComponents) || !b.formComponents.length)
      return sendNewApiError(ctx, NEW_API.badRequest, '缺少参数 formComponents');
    const existing = str(b.processCode);
    if (existing && !s.forms.has(existing)) return sendNewApiError(ctx, WORKFLOW_ERRORS.processCodeNotFound);
    const processCode =
      existing ?? `PROC-${randomUUID().slice(0, 8).toUpperCase()}-${randomUUID().slice(0, 4).toUpperCase()}`;
    s.forms.set(processCode, {
      processCode,
      name,
      description: str(b.description) ?? '',
      components: b.formComponents as Form['components'],
    });
    ctx.body = { result: { processCode } };
  });

  router.post('/v1.0/workflow/processInstances', newApi(state, 'app'), (ctx) => {
    const b = bodyOf(ctx);
    const form = s.forms.get(str(b.processCode) ?? '');
    if (!form) return sendNewApiError(ctx, WORKFLOW_ERRORS.processCodeNotFound);
    const originator = state.employee(str(b.originatorUserId) ?? '');
    if (!originator) return sendNewApiError(ctx, WORKFLOW_ERRORS.unknownUser, '发起人不存在');
    const values = Array.isArray(b.formComponentValues)
      ? (b.formComponentValues as Array<Record<string, unknown>>)
      : [];
    if (!values.length) return sendNewApiError(ctx, WORKFLOW_ERRORS.missingForm);
    if (values.some((v) => typeof v.value !== 'string' || !str(v.name)))
      return sendNewApiError(ctx, NEW_API.badRequest, 'formComponentValues 的 name 与 value 必须为字符串');
    const labels = new Set(form.components.map((c) => String(c.props.label ?? '')));
    const unknown = values.find((v) => !labels.has(String(v.name)));
    if (unknown) return sendNewApiError(ctx, NEW_API.badRequest, `表单中没有控件「${String(unknown.name)}」`);
    const required = form.components.filter((c) => c.props.required).map((c) => String(c.props.label));
    const missing = required.find((l) => !values.some((v) => v.name === l && v.value !== ''));
    if (missing) return sendNewApiError(ctx, NEW_API.badRequest, `必填项「${missing}」未填写`);
    const approvers = Array.isArray(b.approvers) ? (b.approvers as Array<Record<string, unknown>>) : [];
    const node = approvers[0];
    const userIds = Array.isArray(node?.userIds) ? (node.userIds as unknown[]).map(String) : [];
    if (!userIds.length) return sendNewApiError(ctx, NEW_API.badRequest, '缺少审批人 approvers');
    const bad = userIds.find((u) => !state.employee(u));
    if (bad) return sendNewApiError(ctx, WORKFLOW_ERRORS.unknownUser, `审批人 ${bad} 不存在`);
    const mode = (
      ['AND', 'OR', 'NONE'].includes(String(node?.actionType)) ? node?.actionType : 'NONE'
    ) as Instance['mode'];
    const now = state.now();
    const id = randomUUID().replace(/-/g, '').slice(0, 22);
    const inst: Instance = {
      processInstanceId: id,
      processCode: form.processCode,
      title: `${originator.name}提交的${form.name}`,
      businessId: String(Math.floor(now / 1000) * 1000 + Math.floor(Math.random() * 1000)),
      originatorUserId: originator.userid,
      deptId: Number(b.deptId ?? -1),
      status: 'RUNNING',
      result: '',
      mode,
      approverUserIds: userIds,
      ccUserIds: Array.isArray(b.ccList) ? (b.ccList as unknown[]).map(String) : [],
      form: values.map((v) => ({ name: String(v.name), value: String(v.value) })),
      bizDetailPageUrl: str(b.bizDetailPageUrl) ?? null,
      tasks: userIds.map((u) => ({
        taskId: s.nextTask++,
        userId: u,
        status: 'RUNNING',
        result: 'NONE',
        activityId: 'approve_node',
        createTime: now,
        finishTime: null,
      })),
      records: [
        {
          userId: originator.userid,
          date: now,
          type: 'START_PROCESS_INSTANCE',
          result: 'NONE',
          remark: '',
          showName: originator.name,
        },
      ],
      createTime: now,
      finishTime: null,
    };
    s.instances.set(id, inst);
    publishEvent(state, 'bpms_instance_change', {
      ...baseFields(state, inst),
      type: 'start',
      staffId: originator.userid,
    });
    for (const t of inst.tasks)
      publishEvent(state, 'bpms_task_change', {
        ...baseFields(state, inst),
        taskId: t.taskId,
        type: 'start',
        staffId: t.userId,
      });
    ctx.body = { instanceId: id };
  });

  router.get('/v1.0/workflow/processInstances', newApi(state, 'app'), (ctx) => {
    const i = s.instances.get(String(ctx.query.processInstanceId ?? ''));
    if (!i) return sendNewApiError(ctx, WORKFLOW_ERRORS.instanceNotFound);
    ctx.body = { success: 'true', result: presentInstance(i) };
  });

  router.post('/v1.0/workflow/processInstances/execute', newApi(state, 'app'), (ctx) => {
    const b = bodyOf(ctx);
    const result = str(b.result);
    if (result !== 'agree' && result !== 'refuse')
      return sendNewApiError(ctx, NEW_API.badRequest, 'result 只能是 agree 或 refuse');
    try {
      decideTask(
        state,
        str(b.processInstanceId) ?? '',
        str(b.actionerUserId) ?? '',
        result,
        str(b.remark) ?? '',
        b.taskId === undefined ? undefined : Number(b.taskId),
      );
    } catch (err) {
      return send(ctx, err);
    }
    ctx.body = { success: true, result: true };
  });

  router.post('/v1.0/workflow/processInstances/terminate', newApi(state, 'app'), (ctx) => {
    const b = bodyOf(ctx);
    try {
      terminateInstance(
        state,
        str(b.processInstanceId) ?? '',
        str(b.operatingUserId) ?? callerOf(ctx).appKey,
        str(b.remark) ?? '',
      );
    } catch (err) {
      return send(ctx, err);
    }
    ctx.body = { success: true, result: true };
  });

  // listProcessInstanceIds: instances of a form created in [startTime, endTime] (epoch ms),
  // optionally by originators and statuses; 20 per page, `nextToken` is the next offset.
  router.post('/v1.0/workflow/processes/instanceIds/query', newApi(state, 'app'), (ctx) => {
    const b = bodyOf(ctx);
    const processCode = str(b.processCode);
    const start = Number(b.startTime);
    const end = b.endTime === undefined ? state.now() : Number(b.endTime);
    if (!processCode || !Number.isFinite(start) || !Number.isFinite(end))
      return sendNewApiError(ctx, NEW_API.badRequest, 'processCode 与 startTime 必填');
    if (!s.forms.has(processCode)) return sendNewApiError(ctx, WORKFLOW_ERRORS.processCodeNotFound);
    const users = Array.isArray(b.userIds) ? (b.userIds as unknown[]).map(String) : null;
    const statuses = Array.isArray(b.statuses) ? (b.statuses as unknown[]).map(String) : null;
    const max = Math.min(20, Math.max(1, Number(b.maxResults ?? 20) || 20));
    const offset = Math.max(0, Number(b.nextToken ?? 0) || 0);
    const all = [...s.instances.values()]
      .filter(
        (i) =>
          i.processCode === processCode &&
          i.createTime >= start &&
          i.createTime <= end &&
          (!users || users.includes(i.originatorUserId)) &&
          (!statuses || statuses.includes(i.status)),
      )
      .sort((a, b2) => a.createTime - b2.createTime);
    const list = all.slice(offset, offset + max).map((i) => i.processInstanceId);
    const more = offset + max < all.length;
    ctx.body = { success: true, result: { list, ...(more ? { nextToken: String(offset + max) } : {}) } };
  });

  // ---- test API (what an approver does in the DingTalk client) ----

  router.get('/api/sandbox/approvals', (ctx) => {
    const userid = typeof ctx.query.userid === 'string' ? ctx.query.userid : null;
    const list = [...s.instances.values()].filter(
      (i) => !userid || i.tasks.some((t) => t.userId === userid && t.status === 'RUNNING'),
    );
    ctx.body = {
      forms: [...s.forms.values()],
      instances: list.map((i) => ({
        processInstanceId: i.processInstanceId,
        ...presentInstance(i),
        mode: i.mode,
        bizDetailPageUrl: i.bizDetailPageUrl,
      })),
    };
  });

  // Forgets every approval form, as a fresh DingTalk organisation would (the product must re-create them).
  router.post('/api/sandbox/approvals/forms/reset', (ctx) => {
    const n = s.forms.size;
    s.forms.clear();
    ctx.body = { removed: n };
  });

  router.post('/api/sandbox/approvals/:id/decide', (ctx) => {
    const r = decideBody.safeParse(ctx.request.body ?? {});
    if (!r.success) {
      ctx.status = 400;
      ctx.body = { error: { code: 'invalid_input', message: r.error.issues[0]?.message ?? 'invalid' } };
      return;
    }
    try {
      const i = decideTask(state, ctx.params.id as string, r.data.userid, r.data.result, r.data.remark);
      ctx.body = { status: i.status, result: i.result };
    } catch (err) {
      const e = err as NewApiError;
      ctx.status = e.status === 400 ? 409 : 500;
      ctx.body = { error: { code: e.code ?? 'error', message: e.message } };
    }
  });

  router.post('/api/sandbox/approvals/:id/terminate', (ctx) => {
    const b = (ctx.request.body ?? {}) as { userid?: string; remark?: string };
    try {
      const i = terminateInstance(state, ctx.params.id as string, b.userid ?? '', b.remark ?? '');
      ctx.body = { status: i.status };
    } catch (err) {
      const e = err as NewApiError;
      ctx.status = 409;
      ctx.body = { error: { code: e.code ?? 'error', message: e.message } };
    }
  });

  consoleTabs.push({
    id: 'approvals',
    label: '审批 Approvals',
    render: () => approvalsTab(state, s),
  });
};

/** Each approver's inbox with the form as the DingTalk client shows it, plus finished ones. */
function approvalsTab(state: SandboxState, s: WorkflowState): string {
  const card = (i: Instance, userid: string | null) => {
    const fields = i.form
      .map(
        (f) =>
          `<div class="f"><div class="muted">${esc(f.name)}</div><div style="white-space:pre-wrap">${esc(f.value)}</div></div>`,
      )
      .join('');
    const records = i.records
      .map(
        (r) =>
          `<li>${esc(r.showName)} · ${esc(r.type === 'START_PROCESS_INSTANCE' ? '发起审批' : r.type === 'TERMINATE_PROCESS_INSTANCE' ? '撤销' : r.result === 'AGREE' ? '同意' : '拒绝')}${r.remark ? `：${esc(r.remark)}` : ''} <span class="muted">${esc(fmt(r.date))}</span></li>`,
      )
      .join('');
    const status =
      i.status === 'RUNNING'
        ? '审批中'
        : i.status === 'TERMINATED'
          ? '已撤销'
          : i.result === 'agree'
            ? '已通过'
            : '已拒绝';
    const actions = userid
      ? `<form data-approve="${esc(i.processInstanceId)}" data-user="${esc(userid)}"><input name="remark" placeholder="审批意见 (remark)" size="30">
<button class="btn" name="result" value="agree" data-testid="agree-${esc(i.processInstanceId)}-${esc(userid)}">同意</button>
<button class="btn ghost" name="result" value="refuse" data-testid="refuse-${esc(i.processInstanceId)}-${esc(userid)}">拒绝</button></form>`
      : '';
    return `<div class="card" data-testid="approval-${esc(i.processInstanceId)}"><h3>${esc(i.title)} <span class="muted">${esc(status)} · ${esc(i.mode === 'AND' ? '会签' : i.mode === 'OR' ? '或签' : '单人审批')}</span></h3>
${fields}${i.bizDetailPageUrl ? `<p><a href="${esc(i.bizDetailPageUrl)}" target="_blank">查看详情</a></p>` : ''}<ul>${records}</ul>${actions}</div>`;
  };
  const inboxes = state.org.employees
    .map((e) => {
      const pending = [...s.instances.values()].filter((i) =>
        i.tasks.some((t) => t.userId === e.userid && t.status === 'RUNNING'),
      );
      if (!pending.length) return '';
      return `<h2>${esc(e.name)} <span class="hint">${esc(e.userid)} 的待办 (inbox)</span></h2>${pending.map((i) => card(i, e.userid)).join('')}`;
    })
    .join('');
  const done = [...s.instances.values()].filter((i) => i.status !== 'RUNNING').reverse();
  return `<div class="card"><h2>审批 <span class="hint">Approvals: each approver's inbox (待我审批)</span></h2>
<p class="muted">模板 forms: ${[...s.forms.values()].map((f) => `${esc(f.name)} (${esc(f.processCode)})`).join('，') || '—'}</p></div>
${inboxes || '<p class="muted">暂无待审批 (no pending approvals)</p>'}
${done.length ? `<h2>已完成 <span class="hint">finished</span></h2>${done.map((i) => card(i, null)).join('')}` : ''}
<style>.f{margin:6px 0}</style>
<script>
for (const f of document.querySelectorAll('[data-approve]')) f.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const result = ev.submitter?.value || 'agree';
  await fetch('/api/sandbox/approvals/' + encodeURIComponent(f.dataset.approve) + '/decide', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userid: f.dataset.user, result, remark: new FormData(f).get('remark') || '' }) });
  location.hash = 'approvals'; location.reload();
});
</script>`;
}
