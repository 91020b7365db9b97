/**
 * Alibaba Cloud DashScope speech-to-text, as the product uses it: Paraformer file transcription
 * (asynchronous task API) and, for the "own server" option, an OpenAI-compatible
 * `/v1/audio/transcriptions`. Same paths, headers, task statuses and result JSON as the real
 * service (`X-DashScope-Async: enable`, `/api/v1/tasks/{task_id}`, `transcription_url`).
 *
 * Honesty rule: the sandbox does NOT recognise speech. A task's text is what a test registered
 * for that audio (matched by object key or URL) or what a person types in the console tab
 * "语音转写 ASR", where unanswered tasks wait. Sentence timestamps are spread evenly over the
 * registered duration, and every result says `"sandbox": "registered text, not recognised"`.
 *
 * Test hooks: `POST /api/sandbox/asr/transcripts {match, text, durationMs?}`,
 * `POST /api/sandbox/asr/behaviour {taskDelayMs?, failRequests?, failTasks?}`,
 * `GET /api/sandbox/asr/tasks`, `POST /api/sandbox/asr/tasks/:id/text {text}`.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
// The key the sandbox accepts is the product's demo default (refused in production).
import { SANDBOX_DASHSCOPE_KEY } from '../../../server/kernel/config';
import type { SandboxModule } from '../context';
import { esc } from '../html';
import type { SandboxState } from '../state';

/** Text registered for audio whose URL or object key contains `match`. */
export interface RegisteredTranscript {
  match: string;
  text: string;
  durationMs?: number;
}

interface Subtask {
  fileUrl: string;
  status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  text: string | null;
  durationMs?: number;
  code?: string;
  message?: string;
}

/** One transcription task. */
export interface AsrTask {
  id: string;
  model: string;
  language: string[];
  createdAt: number;
  /** The task stays RUNNING until this time (a slow task). */
  readyAt: number;
  subtasks: Subtask[];
  /** Fail the task's files with this code (e.g. InvalidFile.DownloadFailed). */
  failCode: string | null;
}

/** ASR state of one sandbox. */
export interface AsrState {
  transcripts: RegisteredTranscript[];
  tasks: Map<string, AsrTask>;
  /** Next N API requests answer HTTP 500 (to exercise retries). */
  failRequests: number;
  /** New tasks stay RUNNING this long. */
  taskDelayMs: number;
  /** Next N tasks fail with InvalidFile.DownloadFailed. */
  failTasks: number;
}

const STATES = new WeakMap<SandboxState, AsrState>();

/** The ASR state of a sandbox (tests register transcripts here or over HTTP). */
export function asrState(state: SandboxState): AsrState {
  let s = STATES.get(state);
  if (!s) {
    const created: AsrState = {
      transcripts: [],
      tasks: new Map(),
      failRequests: 0,
      taskDelayMs: 0,
      failTasks: 0,
    };
    s = created;
    STATES.set(state, created);
    state.onReset(() => {
      created.transcripts = [];
      created.tasks.clear();
      created.failRequests = 0;
      created.taskDelayMs = 0;
      created.failTasks = 0;
    });
  }
  return s;
}

function dsError(ctx: Context, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.body = { request_id: randomUUID(), code, message };
}

/** Key check and injected failures, like DashScope's gateway. Returns false when answered. */
function gate(ctx: Context, s: AsrState): boolean {
  const auth = ctx.get('authorization');
  if (auth !== `Bearer ${SANDBOX_DASHSCOPE_KEY}`) {
    dsError(ctx, 401, 'InvalidApiKey', 'Invalid API-key provided.');
    return false;
  }
  if (s.failRequests > 0) {
    s.failRequests--;
    dsError(
      ctx,
      500,
      'InternalError',
      'An internal error has occured, please try again later. (sandbox: injected)',
    );
    return false;
  }
  return true;
}

function findTranscript(s: AsrState, urlOrName: string): RegisteredTranscript | undefined {
  let decoded = urlOrName;
  try {
    decoded = decodeURIComponent(urlOrName);
  } catch {
    /* keep raw */
  }
  const flat = decoded.replaceAll('/', '_');
  // The newest registration wins, so a test can re-register the same audio.
  return [...s.transcripts]
    .reverse()
    .find((t) => decoded.includes(t.match) || flat.includes(t.match.replaceAll('/', '_')));
}

/** Sentences with evenly spread times (the sandbox has no audio alignment). */
function sentencesOf(text: string, durationMs: number) {
  const parts =
    text
      .match(/[^。！？!?.;；]+[。！？!?.;；]*/g)
      ?.map((p) => p.trim())
      .filter(Boolean) ?? [];
  const total = parts.reduce((n, p) => n + p.length, 0) || 1;
  let at = 0;
  return parts.map((p, i) => {
    const len = Math.round((p.length / total) * durationMs);
    const s = { begin_time: at, end_time: at + len, text: p, sentence_id: i + 1 };
    at += len;
    return s;
  });
}

function durationOf(text: string, given?: number): number {
  if (given) return given;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const words = text.replace(/\p{Script=Han}/gu, ' ').match(/[A-Za-z0-9]+/g)?.length ?? 0;
  return Math.round((han / 4 + words / 2.5) * 1000);
}

/** Updates a task's subtasks from registrations and the clock; returns the task status. */
function advance(state: SandboxState, s: AsrState, task: AsrTask): AsrTask['subtasks'][number]['status'] {
  if (state.now() < task.readyAt) return 'RUNNING';
  for (const sub of task.subtasks) {
    if (sub.status === 'SUCCEEDED' || sub.status === 'FAILED') continue;
    if (task.failCode) {
      Object.assign(sub, {
        status: 'FAILED',
        code: task.failCode,
        message: 'Failed to download the file. (sandbox: injected)',
      });
      continue;
    }
    const reg = sub.text === null ? findTranscript(s, sub.fileUrl) : undefined;
    if (reg) Object.assign(sub, { text: reg.text, durationMs: reg.durationMs });
    sub.status = sub.text === null ? 'RUNNING' : 'SUCCEEDED';
  }
  if (task.subtasks.some((x) => x.status === 'RUNNING' || x.status === 'PENDING')) return 'RUNNING';
  return task.subtasks.every((x) => x.status === 'FAILED') ? 'FAILED' : 'SUCCEEDED';
}

/** DashScope ASR routes, the OpenAI-compatible route, test hooks and the console tab. */
export const dashscopeModule: SandboxModule = ({ router, state, consoleTabs }) => {
  const s = asrState(state);

  router.post('/api/v1/services/audio/asr/transcription', (ctx) => {
    if (!gate(ctx, s)) return;
    if (ctx.get('x-dashscope-async') !== 'enable')
      return dsError(ctx, 403, 'AccessDenied', 'current user api does not support synchronous calls');
    const body = (ctx.request.body ?? {}) as {
      model?: unknown;
      input?: { file_urls?: unknown };
      parameters?: { language_hints?: unknown };
    };
    if (typeof body.model !== 'string' || !body.model)
      return dsError(ctx, 400, 'InvalidParameter', 'Model not exist.');
    const urls = body.input?.file_urls;
    if (
      !Array.isArray(urls) ||
      !urls.length ||
      !urls.every((u) => typeof u === 'string' && /^https?:\/\//.test(u))
    )
      return dsError(
        ctx,
        400,
        'InvalidParameter',
        'input.file_urls must be a non-empty list of http(s) URLs',
      );
    if (urls.length > 100) return dsError(ctx, 400, 'InvalidParameter', 'too many file_urls (max 100)');
    const now = state.now();
    const failing = s.failTasks > 0;
    if (failing) s.failTasks--;
    const task: AsrTask = {
      id: randomUUID(),
      model: body.model,
      language: Array.isArray(body.parameters?.language_hints)
        ? (body.parameters.language_hints as string[])
        : [],
      createdAt: now,
      readyAt: now + s.taskDelayMs,
      subtasks: urls.map((u: string) => ({ fileUrl: u, status: 'PENDING', text: null })),
      failCode: failing ? 'InvalidFile.DownloadFailed' : null,
    };
    s.tasks.set(task.id, task);
    ctx.body = { request_id: randomUUID(), output: { task_id: task.id, task_status: 'PENDING' } };
  });

  const query = (ctx: Context) => {
    if (!gate(ctx, s)) return;
    const task = s.tasks.get(ctx.params.taskId);
    if (!task) return dsError(ctx, 404, 'InvalidParameter', `task ${ctx.params.taskId} not found`);
    const status = advance(state, s, task);
    const done = status === 'SUCCEEDED' || status === 'FAILED';
    ctx.body = {
      request_id: randomUUID(),
      output: {
        task_id: task.id,
        task_status: status,
        submit_time: new Date(task.createdAt).toISOString(),
        ...(done
          ? {
              results: task.subtasks.map((sub, i) =>
                sub.status === 'SUCCEEDED'
                  ? {
                      file_url: sub.fileUrl,
                      transcription_url: `http://${ctx.get('host')}/sandbox-files/asr/${task.id}/${i}.json`,
                      subtask_status: 'SUCCEEDED',
                    }
                  : { file_url: sub.fileUrl, code: sub.code, message: sub.message, subtask_status: 'FAILED' },
              ),
              task_metrics: {
                TOTAL: task.subtasks.length,
                SUCCEEDED: task.subtasks.filter((x) => x.status === 'SUCCEEDED').length,
                FAILED: task.subtasks.filter((x) => x.status === 'FAILED').length,
              },
            }
          : {}),
      },
      ...(done
        ? {
            usage: {
              duration: Math.round(
                task.subtasks.reduce((n, x) => n + durationOf(x.text ?? '', x.durationMs), 0) / 1000,
              ),
            },
          }
        : {}),
    };
  };
  router.get('/api/v1/tasks/:taskId', query);
  router.post('/api/v1/tasks/:taskId', query);

  // The result file (an OSS pre-signed URL in real life: no key needed).
  router.get('/sandbox-files/asr/:taskId/:index.json', (ctx) => {
    const sub = s.tasks.get(ctx.params.taskId)?.subtasks[Number(ctx.params.index)];
    if (sub?.status !== 'SUCCEEDED') {
      ctx.status = 404;
      ctx.body = '<Error><Code>NoSuchKey</Code></Error>';
      return;
    }
    const text = sub.text ?? '';
    const duration = durationOf(text, sub.durationMs);
    ctx.body = {
      file_url: sub.fileUrl,
      sandbox: 'registered text, not recognised',
      properties: {
        audio_format: 'unknown',
        channels: [0],
        original_sampling_rate: 16000,
        original_duration_in_milliseconds: duration,
      },
      transcripts: [
        {
          channel_id: 0,
          content_duration_in_milliseconds: duration,
          text,
          sentences: text ? sentencesOf(text, duration) : [],
        },
      ],
    };
  });

  // OpenAI-compatible server (the "own server" option): same registrations, matched by file name.
  router.post('/v1/audio/transcriptions', async (ctx) => {
    if (!gate(ctx, s)) return;
    const chunks: Buffer[] = [];
    for await (const c of ctx.req) chunks.push(c as Buffer);
    let form: FormData;
    try {
      form = await new Response(Buffer.concat(chunks), {
        headers: { 'content-type': ctx.get('content-type') },
      }).formData();
    } catch {
      ctx.status = 400;
      ctx.body = { error: { message: 'expected multipart/form-data', type: 'invalid_request_error' } };
      return;
    }
    const file = form.get('file');
    if (!(file instanceof Blob) || !form.get('model')) {
      ctx.status = 400;
      ctx.body = { error: { message: 'file and model are required', type: 'invalid_request_error' } };
      return;
    }
    const name = (file as File).name ?? '';
    const reg = findTranscript(s, name);
    if (!reg) {
      ctx.status = 422;
      ctx.body = {
        error: {
          message: `sandbox: no transcript registered for ${name} (it does not recognise speech)`,
          type: 'invalid_request_error',
        },
      };
      return;
    }
    const duration = durationOf(reg.text, reg.durationMs);
    ctx.body = {
      text: reg.text,
      language: String(form.get('language') ?? ''),
      duration: duration / 1000,
      segments: sentencesOf(reg.text, duration).map((x, i) => ({
        id: i,
        start: x.begin_time / 1000,
        end: x.end_time / 1000,
        text: x.text,
      })),
    };
  });

  // ---- test hooks ----
  router.post('/api/sandbox/asr/transcripts', (ctx) => {
    const b = (ctx.request.body ?? {}) as Partial<RegisteredTranscript>;
    if (typeof b.match !== 'string' || !b.match || typeof b.text !== 'string') {
      ctx.status = 400;
      ctx.body = {
        error: { code: 'bad_request', message: 'match (object key or URL part) and text are required' },
      };
      return;
    }
    s.transcripts.push({
      match: b.match,
      text: b.text,
      durationMs: typeof b.durationMs === 'number' ? b.durationMs : undefined,
    });
    ctx.body = { ok: true };
  });
  router.post('/api/sandbox/asr/behaviour', (ctx) => {
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof b.taskDelayMs === 'number') s.taskDelayMs = b.taskDelayMs;
    if (typeof b.failRequests === 'number') s.failRequests = b.failRequests;
    if (typeof b.failTasks === 'number') s.failTasks = b.failTasks;
    ctx.body = { taskDelayMs: s.taskDelayMs, failRequests: s.failRequests, failTasks: s.failTasks };
  });
  router.get('/api/sandbox/asr/tasks', (ctx) => {
    ctx.body = [...s.tasks.values()].map((t) => ({
      id: t.id,
      model: t.model,
      language: t.language,
      status: advance(state, s, t),
      files: t.subtasks.map((x) => ({ url: x.fileUrl, status: x.status, text: x.text })),
    }));
  });
  router.post('/api/sandbox/asr/tasks/:taskId/text', (ctx) => {
    const task = s.tasks.get(ctx.params.taskId);
    const text = (ctx.request.body as { text?: unknown } | undefined)?.text;
    if (!task || typeof text !== 'string') {
      ctx.status = task ? 400 : 404;
      ctx.body = {
        error: {
          code: task ? 'bad_request' : 'not_found',
          message: task ? 'text is required' : 'no such task',
        },
      };
      return;
    }
    for (const sub of task.subtasks) if (sub.text === null) sub.text = text;
    ctx.body = { ok: true };
  });

  consoleTabs.push({
    id: 'asr',
    label: '语音转写 ASR',
    render() {
      const rows = [...s.tasks.values()]
        .reverse()
        .map((t) => {
          const status = advance(state, s, t);
          const files = t.subtasks
            .map(
              (x) =>
                `<div><code>${esc(x.fileUrl.split('?')[0])}</code> — ${esc(x.status)}${x.text !== null ? `<br>${esc(x.text)}` : ''}</div>`,
            )
            .join('');
          const form =
            status === 'RUNNING' && t.subtasks.some((x) => x.text === null)
              ? `<form data-asr-task="${esc(t.id)}"><textarea name="text" rows="3" style="width:100%" placeholder="输入这段录音说的话 (type what the recording says)"></textarea>
<button class="btn" data-testid="asr-submit-${esc(t.id)}">提交转写文本 (submit text)</button></form>`
              : '';
          return `<div class="card"><b>${esc(t.id)}</b> <span class="tag">${esc(status)}</span> <span class="muted">${esc(t.model)} ${esc(t.language.join(','))}</span>${files}${form}</div>`;
        })
        .join('');
      return `<div class="card"><h2>语音转写任务 <span class="hint">DashScope transcription tasks</span></h2>
<p class="muted">沙箱不识别语音：任务返回测试预先登记的文本，或由你在这里输入的文本。时间戳按句子长度平均分配。
(The sandbox does not recognise speech: it returns text a test registered, or what you type here.)</p></div>${rows || '<p class="muted">暂无任务 (no tasks)</p>'}
<script>
document.querySelectorAll('form[data-asr-task]').forEach((f) => f.addEventListener('submit', async (e) => {
  e.preventDefault();
  await fetch('/api/sandbox/asr/tasks/' + encodeURIComponent(f.dataset.asrTask) + '/text', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: f.elements.text.value }) });
  location.reload();
}));
</script>`;
    },
  });
};
