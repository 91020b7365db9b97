/**
 * The console: a page for people (open the app "in DingTalk" as an employee, see requests) and a
 * JSON API under `/api/sandbox/*` that tests drive the same way. Other modules add tabs by pushing
 * to `consoleTabs`; this module renders whatever is registered when the page is loaded.
 */

import type { Context } from 'koa';
import { z } from 'zod';
import type { ConsoleTab, SandboxModule } from '../context';
import { esc, jsonForScript, page } from '../html';
import { externalAccounts } from '../org';
import { CODE_TTL_MS, type SandboxState } from '../state';
import { departedEmployees } from './contact';

const ClockBody = z.object({ offsetMs: z.number().int() });
const AuthCodeBody = z.object({ userid: z.string().min(1) });
const OAuthCodeBody = z.object({
  unionid: z.string().min(1),
  redirectUri: z.url(),
  clientId: z.string().min(1).optional(),
  scope: z.string().min(1).optional(),
});

/** Paths that belong to the console itself and are left out of the DingTalk request log. */
export function isConsolePath(path: string): boolean {
  return path === '/' || path === '/console' || path === '/favicon.ico' || path.startsWith('/api/sandbox/');
}

/** `GET /`, `GET /console` and the `/api/sandbox/*` test API. */
export const consoleModule: SandboxModule = (sb) => {
  const { router, state } = sb;
  sb.consoleTabs.unshift(orgTab(sb.state, sb.appUrl), callsTab());

  const render = (ctx: Context) => {
    ctx.type = 'html';
    ctx.body = consolePage(state, sb.appUrl, sb.consoleTabs);
  };
  router.get('/', render);
  router.get('/console', render);
  router.get('/favicon.ico', (ctx) => {
    ctx.status = 204;
  });

  router.get('/api/sandbox/org', (ctx) => {
    const { corpId, name, appKey, agentId, robotCode, departments, employees } = state.org;
    ctx.body = {
      corpId,
      name,
      appKey,
      agentId,
      robotCode,
      departments,
      employees,
      externalAccounts: externalAccounts(state.org),
    };
  });

  router.post('/api/sandbox/authcodes', (ctx) => {
    const input = parse(ctx, AuthCodeBody);
    if (!input) return;
    if (!state.employee(input.userid)) return fail(ctx, 404, 'not_found', `no employee ${input.userid}`);
    ctx.status = 201;
    ctx.body = { code: state.issueAuthCode(input.userid), expiresIn: CODE_TTL_MS / 1000 };
  });

  router.post('/api/sandbox/oauth-codes', (ctx) => {
    const input = parse(ctx, OAuthCodeBody);
    if (!input) return;
    if (!state.account(input.unionid))
      return fail(ctx, 404, 'not_found', `no DingTalk account ${input.unionid}`);
    ctx.status = 201;
    ctx.body = {
      code: state.issueOAuthCode(input.unionid, input.redirectUri, {
        clientId: input.clientId,
        scope: input.scope,
      }),
      expiresIn: CODE_TTL_MS / 1000,
    };
  });

  router.post('/api/sandbox/tokens/expire', (ctx) => {
    ctx.body = { expired: state.expireAppTokens() };
  });

  router.get('/api/sandbox/calls', (ctx) => {
    ctx.body = { calls: state.calls };
  });

  // The sandbox clock: tests move it forward to expire DingTalk codes and tokens it issued.
  router.get('/api/sandbox/clock', (ctx) => {
    ctx.body = { now: state.now(), offsetMs: state.clockOffsetMs };
  });
  router.post('/api/sandbox/clock', (ctx) => {
    const input = parse(ctx, ClockBody);
    if (!input) return;
    state.clockOffsetMs = input.offsetMs;
    ctx.body = { now: state.now(), offsetMs: state.clockOffsetMs };
  });

  router.post('/api/sandbox/reset', (ctx) => {
    state.reset();
    ctx.body = { ok: true };
  });
};

/** Validates a JSON body; answers 400 `{error:{code,message}}` and returns undefined when invalid. */
function parse<T>(ctx: Context, schema: z.ZodType<T>): T | undefined {
  const r = schema.safeParse(ctx.request.body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  fail(ctx, 400, 'invalid_input', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  return undefined;
}

function fail(ctx: Context, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.body = { error: { code, message } };
}

const ROLE_TEXT: Record<string, string> = {
  hr: 'HR',
  manager: '用人经理',
  interviewer: '面试官',
  admin: '管理员',
};

function orgTab(state: SandboxState, appUrl: string): ConsoleTab {
  return {
    id: 'org',
    label: '通讯录 Org',
    render() {
      const deptName = (id: number) =>
        state.org.departments.find((d) => d.dingtalkId === id)?.name ?? String(id);
      const gone = departedEmployees(state);
      const employees = state.org.employees
        .map((e) =>
          gone.has(e.userid)
            ? `<tr><td><b>${esc(e.name)}</b><br><span class="muted">${esc(e.userid)}</span></td>
<td>${esc(e.title)}</td><td>${esc(deptName(e.deptId))}</td><td><span class="muted">已离职 (left)</span></td><td></td></tr>`
            : `<tr><td><b>${esc(e.name)}</b><br><span class="muted">${esc(e.userid)}</span></td>
<td>${esc(e.title)}</td><td>${esc(deptName(e.deptId))}</td>
<td>${e.roles.map((r) => `<span class="tag">${esc(ROLE_TEXT[r] ?? r)}</span>`).join(' ')}</td>
<td><button class="btn" data-open-as="${esc(e.userid)}" data-testid="open-as-${esc(e.userid)}">在钉钉中打开 <span class="hint">(open in DingTalk as ${esc(e.name)})</span></button>
<button class="btn ghost" data-leave="${esc(e.userid)}" data-testid="leave-${esc(e.userid)}">离职 <span class="hint">(leaves: user_leave_org)</span></button></td></tr>`,
        )
        .join('');
      const deptOptions = state.org.departments
        .map((d) => `<option value="${d.dingtalkId}">${esc(d.name)}</option>`)
        .join('');
      const outsiders = externalAccounts(state.org)
        .map(
          (c) => `<tr><td><b>${esc(c.name)}</b><br><span class="muted">${esc(c.unionid)}</span></td>
<td>${esc(c.mobile)}</td><td>${esc(c.email ?? '—')}</td>
<td><a class="btn ghost" href="${esc(appUrl)}/" target="_blank" rel="noopener" data-testid="open-browser-${esc(c.unionid)}">在浏览器中打开应用 <span class="hint">(open the app in a browser)</span></a></td></tr>`,
        )
        .join('');
      return `<div class="card"><h2>组织成员 <span class="hint">Employees</span></h2>
<p class="muted">点击按钮相当于该员工在钉钉客户端中打开应用：沙箱签发免登授权码并打开 <code>${esc(appUrl)}/?corpid=…&amp;sandbox_auth_code=…</code>。</p>
<table><thead><tr><th>姓名</th><th>职位</th><th>部门</th><th>角色</th><th></th></tr></thead><tbody>${employees}</tbody></table>
<h3>新成员加入 <span class="hint">A member joins (DingTalk then sends user_add_org)</span></h3>
<p><input id="new-userid" placeholder="userid" data-testid="new-userid"> <input id="new-name" placeholder="姓名 name" data-testid="new-name">
<input id="new-title" placeholder="职位 title"> <select id="new-dept">${deptOptions}</select>
<button class="btn" data-action="add-member" data-testid="add-member">加入 (join)</button></p>
<p class="muted">「角色」列是演示公司的设定；产品里的角色由管理员在应用的「组织与权限」中开通。</p></div>
<div class="card"><h2>外部钉钉账号 <span class="hint">External DingTalk accounts (candidates)</span></h2>
<p class="muted">候选人在浏览器中打开应用，并通过钉钉 OAuth2 登录页选择自己的账号登录。</p>
<table><thead><tr><th>姓名</th><th>手机</th><th>邮箱</th><th></th></tr></thead><tbody>${outsiders}</tbody></table></div>`;
    },
  };
}

function callsTab(): ConsoleTab {
  return {
    id: 'calls',
    label: '请求日志 Calls',
    render() {
      return `<div class="card"><h2>请求日志 <span class="hint">Requests the product made</span></h2>
<p><button class="btn ghost" data-action="refresh-calls">刷新 (refresh)</button>
<button class="btn ghost" data-action="expire-tokens" data-testid="expire-tokens">使应用令牌失效 (expire app tokens)</button>
<button class="btn ghost" data-action="reset" data-testid="reset">重置沙箱 (reset)</button></p>
<table><thead><tr><th>时间</th><th>方法</th><th>路径</th><th>状态</th></tr></thead><tbody id="calls-body"></tbody></table></div>`;
    },
  };
}

function consolePage(state: SandboxState, appUrl: string, tabs: ConsoleTab[]): string {
  const { corpId, name, appKey, agentId } = state.org;
  const strip = tabs
    .map(
      (t) =>
        `<button role="tab" data-tab="${esc(t.id)}" data-testid="tab-${esc(t.id)}">${esc(t.label)}</button>`,
    )
    .join('');
  const panels = tabs
    .map((t) => `<section data-panel="${esc(t.id)}" hidden>${t.render()}</section>`)
    .join('');
  return page(
    '钉钉沙箱 / DingTalk sandbox',
    `<header><h1>钉钉沙箱 <span class="hint">/ DingTalk sandbox</span></h1>
<p class="muted">${esc(name)} · corpId <code>${esc(corpId)}</code> · appKey <code>${esc(appKey)}</code> · agentId <code>${esc(agentId)}</code> · app <a href="${esc(appUrl)}/">${esc(appUrl)}</a></p>
<nav role="tablist">${strip}</nav></header>
<main>${panels}</main>
<script type="application/json" id="sandbox-config">${jsonForScript({ appUrl, corpId })}</script>
<script>${CONSOLE_JS}</script>`,
    CONSOLE_CSS,
  );
}

const CONSOLE_CSS = `
header{background:#fff;padding:16px 16px 0;border-bottom:1px solid #e5e6e8}
h1{margin:0;font-size:20px} h2{font-size:16px;margin:0 0 8px}
.hint{color:#858e99;font-weight:normal;font-size:12px}
nav{display:flex;gap:4px;overflow-x:auto;margin-top:8px}
nav button{border:0;background:none;padding:10px 14px;font-size:15px;cursor:pointer;border-bottom:2px solid transparent}
nav button[aria-selected=true]{color:#0089ff;border-bottom-color:#0089ff}
main{max-width:1100px;margin:0 auto;padding:0 12px}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:8px;border-bottom:1px solid #f0f1f2;vertical-align:middle}
.tag{display:inline-block;background:#e6f3ff;color:#0089ff;border-radius:4px;padding:0 6px;font-size:12px}
.btn .hint{color:#e6f3ff}
.btn.ghost .hint{color:#858e99}
`;

// Plain browser JS (no build step): tabs by #hash, "open as" issues a 免登 code like the DingTalk
// client and opens the H5 app with it, plus the request-log tools.
const CONSOLE_JS = `
const cfg = JSON.parse(document.getElementById('sandbox-config').textContent);
function showTab(id) {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  if (!tabs.some((t) => t.dataset.tab === id)) id = tabs[0] && tabs[0].dataset.tab;
  for (const t of tabs) t.setAttribute('aria-selected', String(t.dataset.tab === id));
  for (const p of document.querySelectorAll('[data-panel]')) p.hidden = p.dataset.panel !== id;
  if (id === 'calls') loadCalls();
}
async function post(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) });
  const data = await r.json();
  if (!r.ok) throw new Error(data.error ? (data.error.message || String(data.error)) : r.statusText);
  return data;
}
async function loadCalls() {
  const { calls } = await (await fetch('/api/sandbox/calls')).json();
  const rows = calls.slice().reverse().map((c) => {
    const tr = document.createElement('tr');
    for (const v of [new Date(c.at).toLocaleTimeString(), c.method, c.path, c.status]) {
      const td = document.createElement('td');
      td.textContent = String(v);
      tr.append(td);
    }
    return tr;
  });
  document.getElementById('calls-body').replaceChildren(...rows);
}
document.addEventListener('click', async (e) => {
  const tab = e.target.closest('[role=tab]');
  if (tab) { location.hash = tab.dataset.tab; return; }
  const open = e.target.closest('[data-open-as]');
  const leave = e.target.closest('[data-leave]');
  if (leave) {
    try {
      await post('/api/sandbox/employees/' + encodeURIComponent(leave.dataset.leave) + '/leave');
      location.reload();
    } catch (err) { alert(err.message); }
    return;
  }
  const action = e.target.closest('[data-action]');
  try {
    if (open) {
      const { code } = await post('/api/sandbox/authcodes', { userid: open.dataset.openAs });
      location.href = cfg.appUrl + '/?corpid=' + encodeURIComponent(cfg.corpId) + '&sandbox_auth_code=' + encodeURIComponent(code);
    } else if (action) {
      const a = action.dataset.action;
      if (a === 'expire-tokens') await post('/api/sandbox/tokens/expire');
      if (a === 'reset') await post('/api/sandbox/reset');
      if (a === 'add-member') {
        const v = (id) => document.getElementById(id).value.trim();
        await post('/api/sandbox/contact/employees', { userid: v('new-userid'), name: v('new-name'), title: v('new-title'), deptId: Number(v('new-dept')) });
        location.reload();
        return;
      }
      await loadCalls();
    }
  } catch (err) { alert(err.message); }
});
window.addEventListener('hashchange', () => showTab(location.hash.slice(1)));
showTab(location.hash.slice(1));
`;
