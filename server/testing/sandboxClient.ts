/**
 * Drives the DingTalk/Alibaba Cloud sandbox the way a person at its console would: only over
 * HTTP, through its test hooks under `/api/sandbox/*` (see `scripts/sandbox/modules/*`). Tests
 * never read the sandbox's in-memory state, so a test works the same against an in-process
 * sandbox, a sandbox in another process (`npm run sandbox`) or one on another machine.
 *
 * The types here describe the hooks' JSON answers; they are written out instead of imported so
 * nothing under `server/` depends on the sandbox's internals.
 */

/** One DingTalk-side request the sandbox received (console and test-hook calls are not logged). */
export interface SandboxCall {
  method: string;
  path: string;
  /** Sandbox clock time (ms) when the request arrived. */
  at: number;
  /** HTTP status of the answer (old-API errors are 200, like DingTalk's). */
  status: number;
}

/** A message the robot, the work-notice API or a webhook delivered (the 聊天 Chats tab). */
export interface SandboxChatMessage {
  seq: number;
  /** `user:<userid>`, `work:<userid>`, `group:<cid>` or `gateway:<name>`. */
  conversation: string;
  via: 'robot_oto' | 'robot_group' | 'work_notice' | 'webhook_robot' | 'session' | 'gateway' | 'user';
  from: string;
  title: string;
  text: string;
  buttons: Array<{ title: string; url: string }>;
  at: number;
  processQueryKey?: string;
  readAt?: number | null;
  key?: string;
}

/** A chat request the sandbox's LLM endpoint received. */
export interface SandboxLlmRequest {
  id: string;
  at: number;
  model: string;
  prompt: string;
  status: 'answered' | 'unanswered';
  content: string | null;
  reply: string | null;
}

/** An ASR task as the 语音转写 tab lists it. */
export interface SandboxAsrTask {
  id: string;
  model: string;
  /** The language hints the product sent. */
  language: string[];
  status: string;
  files: Array<{ url: string; status: string; text: string | null }>;
}

/** A pre-entry (待入职) record HR's system created. */
export interface SandboxPreentry {
  name: string;
  mobile: string;
  preEntryTime: string | number | null;
  via: 'new' | 'old';
  [field: string]: unknown;
}

/** A calendar event the product created for an organiser. */
export interface SandboxCalendarEvent {
  id: string;
  summary: string;
  description: string;
  start: { dateTime: string; timeZone?: string };
  end: { dateTime: string; timeZone?: string };
  organizer: { id: string };
  createTime: string;
  updateTime: string;
}

/** An approval instance (审批) as the approvals hook presents it. */
export interface SandboxApproval {
  processInstanceId: string;
  title: string;
  status: string;
  result: string;
  businessId: string;
  originatorUserId: string;
  approverUserIds: string[];
  ccUserIds: string[];
  formComponentValues: Array<{ name: string; value: string }>;
  mode: string;
  bizDetailPageUrl?: string;
  [field: string]: unknown;
}

/** An approval form (process) the product created. */
export interface SandboxApprovalForm {
  processCode: string;
  name: string;
  [field: string]: unknown;
}

/** How the sandbox pushes DingTalk events (Stream or HTTP callback, duplicates, retries). */
export interface SandboxEventSubscription {
  mode: 'stream' | 'http';
  url: string | null;
  token: string;
  aesKey: string;
  ownerKey: string;
  copies: number;
  redeliverMs: number;
  retryMs: number;
  maxAttempts: number;
  replyTimeoutMs: number;
}

/** One event delivery and its attempts. */
export interface SandboxDelivery {
  id: number;
  eventId: string;
  eventType: string;
  fields: Record<string, unknown>;
  status: 'pending' | 'in_flight' | 'delivered' | 'failed';
  attempts: number;
  log: string[];
}

/** What the sandbox knows about an object in its OSS bucket (content as a SHA-256, not bytes). */
export interface SandboxOssObject {
  key: string;
  size: number;
  contentType: string;
  etag: string;
  sha256: string;
}

/** An error answer of a sandbox hook, with the status and the hook's message. */
export class SandboxHookError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly body: unknown,
  ) {
    super(`sandbox ${path} answered ${status}: ${JSON.stringify(body)}`);
    this.name = 'SandboxHookError';
  }
}

/** The sandbox's test hooks over HTTP. */
export class SandboxClient {
  /** @param url the sandbox's base URL, e.g. `http://localhost:3900`. */
  constructor(readonly url: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : null;
    if (!res.ok) throw new SandboxHookError(res.status, path, parsed);
    return parsed as T;
  }

  // ---- identity, tokens, clock -------------------------------------------------------------

  /** An in-app (免登) auth code for an employee, as `dd.requestAuthCode` gives (5 min, single use). */
  async issueAuthCode(userid: string): Promise<string> {
    return (await this.call<{ code: string }>('POST', '/api/sandbox/authcodes', { userid })).code;
  }

  /** An OAuth2 code as if the DingTalk account had consented on the login page. */
  async issueOAuthCode(
    unionid: string,
    redirectUri: string,
    opts: { clientId?: string; scope?: string } = {},
  ): Promise<string> {
    const body = { unionid, redirectUri, ...opts };
    return (await this.call<{ code: string }>('POST', '/api/sandbox/oauth-codes', body)).code;
  }

  /** Expires every app access token; returns how many there were. */
  async expireAppTokens(): Promise<number> {
    return (await this.call<{ expired: number }>('POST', '/api/sandbox/tokens/expire')).expired;
  }

  /** The DingTalk-side request log, oldest first. */
  async calls(): Promise<SandboxCall[]> {
    return (await this.call<{ calls: SandboxCall[] }>('GET', '/api/sandbox/calls')).calls;
  }

  /** Runs the sandbox clock `offsetMs` ahead of real time (0 puts it back). */
  async setClockOffset(offsetMs: number): Promise<void> {
    await this.call('POST', '/api/sandbox/clock', { offsetMs });
  }

  /** Forgets every token, code, message, object and call the sandbox holds. */
  async reset(): Promise<void> {
    await this.call('POST', '/api/sandbox/reset');
  }

  // ---- LLM (OpenAI-compatible chat) ---------------------------------------------------------

  /** What the chat endpoint answers to prompts containing `match` (the sandbox never generates text). */
  async registerLlmResponse(r: { match: string; content: string; model?: string }): Promise<void> {
    await this.call('POST', '/api/sandbox/llm/responses', r);
  }

  /** Types a reply for an unanswered chat request, as a person would in the console (returned on retry). */
  async replyLlmRequest(id: string, content: string): Promise<void> {
    await this.call('POST', `/api/sandbox/llm/requests/${encodeURIComponent(id)}/response`, { content });
  }

  /** Chat requests the sandbox received, oldest first, with what it answered. */
  llmRequests(): Promise<SandboxLlmRequest[]> {
    return this.call('GET', '/api/sandbox/llm/requests');
  }

  // ---- ASR (DashScope) ----------------------------------------------------------------------

  /** What the "recogniser" returns for recordings whose URL contains `match` (the sandbox never listens). */
  async registerTranscript(t: { match: string; text: string; durationMs?: number }): Promise<void> {
    await this.call('POST', '/api/sandbox/asr/transcripts', t);
  }

  /** Makes the next `failRequests` submissions or `failTasks` tasks fail, or delays tasks. */
  async asrBehaviour(b: { failRequests?: number; failTasks?: number; taskDelayMs?: number }): Promise<void> {
    await this.call('POST', '/api/sandbox/asr/behaviour', b);
  }

  /** Transcription tasks the product submitted. */
  asrTasks(): Promise<SandboxAsrTask[]> {
    return this.call('GET', '/api/sandbox/asr/tasks');
  }

  /** Types the text of a pending task (what a person does in the console). */
  async setTaskText(taskId: string, text: string): Promise<void> {
    await this.call('POST', `/api/sandbox/asr/tasks/${encodeURIComponent(taskId)}/text`, { text });
  }

  // ---- HRM (智能人事) ------------------------------------------------------------------------

  /** Pre-entry records received, and whether the new API is on. */
  hrm(): Promise<{ preentries: SandboxPreentry[]; newApiAvailable: boolean }> {
    return this.call('GET', '/api/sandbox/hrm/preentries');
  }

  /** Turns the new pre-entry API off (as for organisations without it) or back on. */
  async hrmSettings(s: { newApiAvailable: boolean }): Promise<void> {
    await this.call('POST', '/api/sandbox/hrm/settings', s);
  }

  /**
   * Adds or updates employees' HR records (probation, 转正, leaving, performance) that the
   * sandbox's roster, leaving-record and performance APIs serve. Fields left out keep their value.
   */
  async hrmEmployees(
    employees: Array<{
      userId: string;
      mobile?: string;
      name?: string;
      status?: 'probation' | 'regular' | 'left';
      regularDate?: string;
      lastWorkDay?: number;
      preStatus?: 2 | 3;
      performance?: Array<{ period: string; grade: string }>;
    }>,
  ): Promise<void> {
    await this.call('POST', '/api/sandbox/hrm/employees', { employees });
  }

  /** Makes the next `count` HR-record calls fail: throttled (QPS limit) or HTTP 500. */
  async hrmFail(f: { count: number; kind: 'throttle' | '5xx' }): Promise<void> {
    await this.call('POST', '/api/sandbox/hrm/fail', f);
  }

  // ---- ATS (钉钉招聘) -------------------------------------------------------------------------

  /** Adds (or replaces) a candidate in the sandbox's recruitment system. */
  async atsAddCandidate(c: {
    candidateId: string;
    name: string;
    phoneNumber: string;
    statIds?: string[];
    userId?: string;
  }): Promise<void> {
    await this.call('POST', '/api/sandbox/ats/candidates', c);
  }

  /** The AI-interview syncs DingTalk accepted, as sent. */
  async atsSyncs(): Promise<Array<{ at: number; appKey: string; body: Record<string, unknown> }>> {
    return (
      await this.call<{ syncs: Array<{ at: number; appKey: string; body: Record<string, unknown> }> }>(
        'GET',
        '/api/sandbox/ats/syncs',
      )
    ).syncs;
  }

  /** Withdraws the app's recruitment permission, or fails the next n syncs with 500. */
  async atsSettings(s: { authorized?: boolean; failSyncs?: number }): Promise<void> {
    await this.call('POST', '/api/sandbox/ats/settings', s);
  }

  // ---- OSS ---------------------------------------------------------------------------------

  /** The sandbox bucket and its fixed demo credentials. */
  ossSettings(): Promise<{
    bucket: string;
    accessKeyId: string;
    accessKeySecret: string;
    maxObjectBytes: number;
  }> {
    return this.call('GET', '/api/sandbox/oss');
  }

  /** An object in the bucket, or null when there is none. */
  async ossObject(key: string): Promise<SandboxOssObject | null> {
    try {
      return await this.call('GET', `/api/sandbox/oss/objects?key=${encodeURIComponent(key)}`);
    } catch (err) {
      if (err instanceof SandboxHookError && err.status === 404) return null;
      throw err;
    }
  }

  /** OSS operations received, in order (`PostObject`, `UploadPart`, `ListParts`, ...). */
  async ossOps(): Promise<string[]> {
    return (await this.call<{ ops: string[] }>('GET', '/api/sandbox/oss/ops')).ops;
  }

  // ---- calendar ----------------------------------------------------------------------------

  /** A member's busy blocks and the events organised in their calendar. */
  calendar(unionId: string): Promise<{
    busy: Array<{ id: string; start: string; end: string; title: string }>;
    events: SandboxCalendarEvent[];
  }> {
    return this.call('GET', `/api/sandbox/calendar/${encodeURIComponent(unionId)}`);
  }

  /** Adds a busy block to a member's calendar. */
  async addBusy(unionId: string, block: { start: string; end: string; title?: string }): Promise<string> {
    const res = await this.call<{ block: { id: string } }>(
      'POST',
      `/api/sandbox/calendar/${encodeURIComponent(unionId)}/busy`,
      block,
    );
    return res.block.id;
  }

  // ---- chats (robot, work notices, webhooks) -----------------------------------------------

  /** Messages delivered (all of them unless `limit`), optionally of one conversation. */
  async chatMessages(
    opts: { conversation?: string; since?: number; limit?: number } = {},
  ): Promise<SandboxChatMessage[]> {
    const q = new URLSearchParams({ limit: String(opts.limit ?? 1_000_000) });
    if (opts.conversation) q.set('conversation', opts.conversation);
    if (opts.since) q.set('since', String(opts.since));
    return (await this.call<{ messages: SandboxChatMessage[] }>('GET', `/api/sandbox/chat/messages?${q}`))
      .messages;
  }

  /** Clears the chats (messages, sessions, injected failures). */
  async chatReset(): Promise<void> {
    await this.call('POST', '/api/sandbox/chat/reset');
  }

  /** Makes the next `count` sends fail (`5xx`, `throttle` or `token`), on one API or any. */
  async chatFail(f: { count: number; kind?: '5xx' | 'throttle' | 'token'; api?: string }): Promise<void> {
    await this.call('POST', '/api/sandbox/chat/fail', f);
  }

  /** Marks an employee's robot messages read. */
  async chatRead(userid: string): Promise<number> {
    return (await this.call<{ read: number }>('POST', '/api/sandbox/chat/read', { userid })).read;
  }

  /** An employee types `text` to the robot (1:1, or in a group by `conversationId`). */
  chatSend(m: {
    userid: string;
    text: string;
    conversationId?: string;
    callbackUrl?: string;
    msgId?: string;
  }): Promise<unknown> {
    return this.call('POST', '/api/sandbox/chat/send', m);
  }

  // ---- events (Stream / HTTP callback) -----------------------------------------------------

  /** The event subscription, open Stream connections and every delivery. */
  events(): Promise<{
    subscription: SandboxEventSubscription;
    connections: Array<{
      id: string;
      clientId: string;
      subscriptions: Array<{ type: string; topic: string }>;
    }>;
    deliveries: SandboxDelivery[];
  }> {
    return this.call('GET', '/api/sandbox/events');
  }

  /** Changes how events are pushed; returns the whole subscription. */
  async configureEvents(patch: Partial<SandboxEventSubscription>): Promise<SandboxEventSubscription> {
    return (
      await this.call<{ subscription: SandboxEventSubscription }>(
        'POST',
        '/api/sandbox/events/subscription',
        patch,
      )
    ).subscription;
  }

  /** Pushes an arbitrary event body through the subscription (a forged or contradicting push). */
  async publishEvent(eventType: string, fields: Record<string, unknown>): Promise<string> {
    return (
      await this.call<{ eventId: string }>('POST', '/api/sandbox/events/publish', { eventType, fields })
    ).eventId;
  }

  // ---- address book (通讯录): an org admin changes the organisation in DingTalk -------------------
  // Each hook is followed by its address-book event unless `publish: false` (a missed delivery).

  /** A new member joins (`user_add_org`). Returns the event id (null when not published). */
  async addEmployee(e: {
    userid: string;
    name: string;
    deptId: number;
    unionid?: string;
    mobile?: string;
    title?: string;
    leader?: boolean;
    publish?: boolean;
  }): Promise<string | null> {
    return (await this.call<{ eventId: string | null }>('POST', '/api/sandbox/contact/employees', e)).eventId;
  }

  /** A member's record changes (`user_modify_org`). */
  async modifyEmployee(
    userid: string,
    patch: { name?: string; title?: string; mobile?: string; deptId?: number; publish?: boolean },
  ): Promise<string | null> {
    return (
      await this.call<{ eventId: string | null }>(
        'PATCH',
        `/api/sandbox/contact/employees/${encodeURIComponent(userid)}`,
        patch,
      )
    ).eventId;
  }

  /** A member leaves the organisation (`user_leave_org`). */
  async removeEmployee(userid: string): Promise<string> {
    return (
      await this.call<{ eventId: string }>(
        'POST',
        `/api/sandbox/employees/${encodeURIComponent(userid)}/leave`,
      )
    ).eventId;
  }

  /** A department is created (`org_dept_create`). */
  async addDepartment(d: {
    deptId: number;
    name: string;
    parentId?: number;
    publish?: boolean;
  }): Promise<string | null> {
    return (await this.call<{ eventId: string | null }>('POST', '/api/sandbox/contact/departments', d))
      .eventId;
  }

  /** A department is renamed (`org_dept_modify`). */
  async modifyDepartment(
    deptId: number,
    patch: { name?: string; publish?: boolean },
  ): Promise<string | null> {
    return (
      await this.call<{ eventId: string | null }>(
        'PATCH',
        `/api/sandbox/contact/departments/${deptId}`,
        patch,
      )
    ).eventId;
  }

  /** An empty department is deleted (`org_dept_remove`). */
  async removeDepartment(deptId: number, opts: { publish?: boolean } = {}): Promise<string | null> {
    const q = opts.publish === false ? '?publish=false' : '';
    return (
      await this.call<{ eventId: string | null }>('DELETE', `/api/sandbox/contact/departments/${deptId}${q}`)
    ).eventId;
  }

  // ---- approvals (OA 审批) --------------------------------------------------------------------

  /** Approval forms and instances (only those waiting for `userid` when given). */
  approvals(userid?: string): Promise<{ forms: SandboxApprovalForm[]; instances: SandboxApproval[] }> {
    return this.call('GET', `/api/sandbox/approvals${userid ? `?userid=${encodeURIComponent(userid)}` : ''}`);
  }

  /** One approval instance by id, or undefined. */
  async approval(processInstanceId: string): Promise<SandboxApproval | undefined> {
    return (await this.approvals()).instances.find((i) => i.processInstanceId === processInstanceId);
  }

  /** An approver agrees or refuses (what they do in the DingTalk client). */
  decideApproval(
    processInstanceId: string,
    d: { userid: string; result: 'agree' | 'refuse'; remark?: string },
  ): Promise<{ status: string; result: string }> {
    return this.call('POST', `/api/sandbox/approvals/${encodeURIComponent(processInstanceId)}/decide`, d);
  }

  /** The originator withdraws an instance. */
  terminateApproval(
    processInstanceId: string,
    t: { userid: string; remark?: string },
  ): Promise<{ status: string }> {
    return this.call('POST', `/api/sandbox/approvals/${encodeURIComponent(processInstanceId)}/terminate`, t);
  }

  /** Forgets every approval form, as a fresh DingTalk organisation would. */
  async clearApprovalForms(): Promise<number> {
    return (await this.call<{ removed: number }>('POST', '/api/sandbox/approvals/forms/reset')).removed;
  }
}

/** The form fields of an approval instance by label. */
export function approvalForm(
  i: Pick<SandboxApproval, 'formComponentValues'> | undefined,
): Record<string, string> {
  return Object.fromEntries((i?.formComponentValues ?? []).map((f) => [f.name, f.value]));
}
