import path from 'node:path';
import { z } from 'zod';
import { DEMO_ORG } from './db/seeds/demoCompany';
import { DEFAULT_TOOL_NICENESS, DEFAULT_WORKER_NICENESS } from './proc/priority';

/**
 * The whole configuration, parsed once from the environment with zod. Nothing else in the
 * server reads `process.env`. Every setting has an embedded default that runs the demo
 * (SQLite file, local disk, the local DingTalk sandbox); production must override the
 * endpoints and secrets, and `assertProductionReady` refuses to start until it has.
 */

/** Thrown when the environment is invalid; the message names every offending setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DEFAULT_SANDBOX_URL = 'http://localhost:3900';
/** DashScope API key the sandbox accepts (demo and tests only; refused in production). */
export const SANDBOX_DASHSCOPE_KEY = 'sk-sandbox-dashscope-0000';
const DEMO_SESSION_SECRET = 'demo-session-secret-change-me-in-production-0123456789';
/** HTTP event callback secrets of the demo (printed in the README; refused in production). */
const DEMO_CALLBACK_TOKEN = 'demo-callback-token';
const DEMO_CALLBACK_AES_KEY = 'DemoCallbackAesKey0123456789abcdefghijklmno';
const SANDBOX_OSS_KEY_ID = 'sandbox-access-key-id';
const SANDBOX_OSS_KEY_SECRET = 'sandbox-access-key-secret';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

/** A nice value added to a process's own (0-19); see kernel/proc/priority.ts. */
const niceness = (byDefault: number) => z.coerce.number().int().min(0).max(19).default(byDefault);

const ROLE_NAMES = ['web', 'worker', 'bot'] as const;

/**
 * The documented environment. Keys are the variable names; `.describe` is the documentation
 * the README's configuration table mirrors.
 */
export const envSchema = z.object({
  APP_MODE: z
    .enum(['demo', 'development', 'test', 'production'])
    .optional()
    .describe('demo (default), development, test or production. NODE_ENV=production implies production.'),
  NODE_ENV: z.string().optional(),
  DEMO_SEED: z
    .enum(['company', 'empty'])
    .default('company')
    .describe(
      'Demo mode only: `company` seeds the demo company (jobs, candidates, roles); `empty` starts with only the sandbox DingTalk organisation (`npm run demo -- --empty`).',
    ),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port of the web role.'),
  HOST: z.string().default('0.0.0.0').describe('Interface to listen on.'),
  PUBLIC_URL: httpUrl
    .optional()
    .describe(
      'Public base URL of the app (links in messages, OAuth redirect). Default http://localhost:PORT.',
    ),
  ROLES: z
    .string()
    .default('web,worker,bot')
    .describe('Comma-separated roles this process runs: web, worker, bot.'),
  DATA_DIR: z.string().default('./data').describe('Folder for the embedded SQLite file and local objects.'),
  DATABASE_URL: z
    .string()
    .optional()
    .describe('mysql://user:pass@host:3306/db or sqlite:PATH. Default sqlite:$DATA_DIR/app.db.'),
  DB_POOL_MAX: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(10)
    .describe(
      'MySQL connection pool size (the ORM pool; the booking hot path opens a second pool of this size).',
    ),
  STORAGE_DRIVER: z
    .enum(['local', 'oss'])
    .default('local')
    .describe('Object storage: local disk or Alibaba Cloud OSS.'),
  STORAGE_LOCAL_DIR: z.string().optional().describe('Local object folder. Default $DATA_DIR/objects.'),
  OSS_ENDPOINT: httpUrl.optional().describe('OSS endpoint URL, e.g. https://oss-cn-hangzhou.aliyuncs.com.'),
  OSS_REGION: z.string().optional().describe('OSS region, e.g. oss-cn-hangzhou.'),
  OSS_BUCKET: z.string().optional().describe('OSS bucket name.'),
  OSS_ACCESS_KEY_ID: z.string().optional().describe('OSS AccessKey ID (secret store).'),
  OSS_ACCESS_KEY_SECRET: z.string().optional().describe('OSS AccessKey secret (secret store).'),
  SANDBOX_URL: httpUrl
    .default(DEFAULT_SANDBOX_URL)
    .describe(
      'Base URL of the local DingTalk/Alibaba Cloud sandbox; the default for every endpoint outside production.',
    ),
  DINGTALK_API_URL: httpUrl.optional().describe('New API host. Production: https://api.dingtalk.com.'),
  DINGTALK_OAPI_URL: httpUrl.optional().describe('Old API host. Production: https://oapi.dingtalk.com.'),
  DINGTALK_LOGIN_URL: httpUrl
    .optional()
    .describe('OAuth2 login host. Production: https://login.dingtalk.com.'),
  DINGTALK_CORP_ID: z.string().min(1).optional().describe('Your organisation corpId (ding...).'),
  DINGTALK_APP_KEY: z.string().min(1).optional().describe('App Key / Client ID of the internal app.'),
  DINGTALK_APP_SECRET: z.string().min(1).optional().describe('App Secret / Client Secret (secret store).'),
  DINGTALK_AGENT_ID: z.coerce.number().int().positive().optional().describe('agentId of the H5 micro-app.'),
  DINGTALK_ROBOT_CODE: z
    .string()
    .min(1)
    .optional()
    .describe('robotCode of the app robot (normally the App Key).'),
  DINGTALK_ATS_BIZ_CODE: z
    .string()
    .min(1)
    .default('ddats')
    .describe('bizCode of DingTalk recruitment (ATS) calls: ddats for 钉钉招聘 itself.'),
  DINGTALK_ATS_ISV_ID: z
    .string()
    .min(1)
    .optional()
    .describe('isvId sent with AI-interview results to the AI interview assistant (default: the App Key).'),
  DINGTALK_ATS_SYNC: z
    .enum(['on', 'off'])
    .default('off')
    .describe(
      "on: push AI-interview results to DingTalk recruitment's AI interview assistant when a live round is booked.",
    ),
  DINGTALK_HRM_PERFORMANCE_TENANT_ID: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'tenantId of the performance master data (智能人事 PERFORMANCE scope) read for closed-loop validity.',
    ),
  DINGTALK_HRM_PERFORMANCE_VIEW: z
    .string()
    .min(1)
    .default('base')
    .describe('viewEntityCode of the performance master data read for closed-loop validity.'),
  ANALYTICS_OUTCOME_MIN_N: z.coerce
    .number()
    .int()
    .min(4)
    .default(10)
    .describe('Fewest hires with a known outcome before a validity correlation is shown.'),
  DINGTALK_EVENT_MODE: z
    .enum(['stream', 'http', 'off'])
    .default('stream')
    .describe('How DingTalk events arrive: Stream mode (no public URL), HTTP callback, or off.'),
  DINGTALK_CALLBACK_TOKEN: z
    .string()
    .min(1)
    .default(DEMO_CALLBACK_TOKEN)
    .describe('HTTP event callback: the token set in the console (signature key; secret store).'),
  DINGTALK_CALLBACK_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/, 'must be exactly 43 letters/digits')
    .default(DEMO_CALLBACK_AES_KEY)
    .describe('HTTP event callback: the 43-character aes_key set in the console (secret store).'),
  DINGTALK_CALLBACK_OWNER_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('Owner key checked in decrypted callbacks: AppKey (default), corpId (legacy) or suiteKey.'),
  DINGTALK_STREAM_GATEWAY_URL: httpUrl
    .optional()
    .describe(
      'Stream mode connection endpoint. Production: https://api.dingtalk.com/v1.0/gateway/connections/open.',
    ),
  WORKFLOW_SECOND_ROUND_PROCESS_CODE: z
    .string()
    .min(1)
    .optional()
    .describe('Process code of the 复试审批 form; unset = created with formCreate at start-up.'),
  WORKFLOW_OFFER_PROCESS_CODE: z
    .string()
    .min(1)
    .optional()
    .describe('Process code of the 录用审批 form; unset = created with formCreate at start-up.'),
  WORKFLOW_ACCOMMODATION_PROCESS_CODE: z
    .string()
    .min(1)
    .optional()
    .describe('Process code of the 便利安排审批 form; unset = created with formCreate at start-up.'),
  WORKFLOW_RECONCILE_AFTER_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('Approvals without a result event for this long are checked with getProcessInstance.'),
  SESSION_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe('HMAC key for session and invitation tokens (secret store).'),
  SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(120)
    .describe('Lifetime of a session token.'),
  INVITATION_TTL_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(90)
    .default(14)
    .describe('Default validity of invitation links.'),
  ASR_PROVIDER: z
    .enum(['dashscope', 'openai'])
    .default('dashscope')
    .describe(
      'Speech to text: Alibaba Cloud DashScope Paraformer file transcription, or any OpenAI-compatible /v1/audio/transcriptions server.',
    ),
  ASR_DASHSCOPE_URL: httpUrl
    .optional()
    .describe('DashScope base URL. Production: https://dashscope.aliyuncs.com. Default: the sandbox.'),
  ASR_DASHSCOPE_API_KEY: z.string().min(1).optional().describe('DashScope API key (secret store).'),
  ASR_DASHSCOPE_MODEL: z.string().default('paraformer-v2').describe('DashScope file transcription model.'),
  ASR_OPENAI_URL: httpUrl
    .optional()
    .describe(
      'Base URL of an OpenAI-compatible transcription server (whisper.cpp, faster-whisper...), without /v1.',
    ),
  ASR_OPENAI_API_KEY: z
    .string()
    .optional()
    .describe('Bearer key of the OpenAI-compatible server, if it needs one.'),
  ASR_OPENAI_MODEL: z
    .string()
    .default('whisper-1')
    .describe('Model name sent to the OpenAI-compatible server.'),
  ASR_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(5)
    .max(7200)
    .default(600)
    .describe('Give up on one transcription after this long (the answer then goes to a person).'),
  ASR_POLL_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(60_000)
    .default(2000)
    .describe('DashScope task polling interval.'),
  ASR_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(3)
    .describe('Retries of a failed ASR HTTP call (backoff).'),
  LLM_ENABLED: bool
    .default(false)
    .describe(
      'Optional LLM assessor (off by default); combined with, never replacing, the deterministic scores.',
    ),
  LLM_URL: httpUrl
    .optional()
    .describe(
      'OpenAI-compatible chat base URL without /v1 (e.g. https://dashscope.aliyuncs.com/compatible-mode).',
    ),
  LLM_API_KEY: z.string().optional().describe('Bearer key of the chat endpoint (secret store).'),
  LLM_MODEL: z.string().default('qwen-plus').describe('Chat model of the LLM assessor.'),
  LLM_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(600)
    .default(60)
    .describe('Timeout of one LLM call.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_KB: z.coerce.number().int().min(1).max(10240).default(256).describe('Maximum JSON body size.'),
  TRUST_PROXY: bool.default(false).describe('Trust X-Forwarded-* headers (behind a load balancer).'),
  TRUST_PROXY_HOPS: z.coerce
    .number()
    .int()
    .min(1)
    .max(10)
    .default(1)
    .describe(
      'With TRUST_PROXY: how many proxies in front of the app append to X-Forwarded-For. The client address (per-IP rate limits, audit) is the entry this many from the right; entries further left are whatever the client sent.',
    ),
  HTTP_KEEPALIVE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(65)
    .describe(
      "How long an idle HTTP connection stays open. Keep it above the load balancer's idle timeout for upstream connections (nginx `keepalive_timeout`, 60 s by default): otherwise the balancer can send a request on a connection this process is closing and answer the client 502 (nginx does not retry a POST).",
    ),
  INTERVIEW_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(600)
    .default(15)
    .describe(
      'AI interview: seconds tolerated after a question time limit before an answer is flagged late.',
    ),
  UPLOAD_MAX_MB: z.coerce
    .number()
    .int()
    .min(1)
    .max(5000)
    .default(300)
    .describe('AI interview: largest accepted answer recording, in MB.'),
  UPLOAD_PART_KB: z.coerce
    .number()
    .int()
    .min(100)
    .max(100 * 1024)
    .default(2048)
    .describe(
      'AI interview and follow-up answers, OSS mode: part size of resumable multipart uploads in KB (OSS needs at least 100 KB per part but the last).',
    ),
  UPLOAD_GRANT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(30)
    .max(3600)
    .default(600)
    .describe('AI interview: validity of an upload grant (OSS PostObject policy or local upload URL).'),
  RATE_LIMIT_UPLOAD_GRANTS_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('AI interview: upload grants per candidate per minute.'),
  MEDIA_CHECK_POLL_MS: z.coerce
    .number()
    .int()
    .min(20)
    .max(60_000)
    .default(200)
    .describe(
      'AI interview: how often a worker looks for uploaded recordings (answers and follow-up answers) waiting for their media check (ffmpeg), in ms.',
    ),
  MEDIA_CHECK_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(2)
    .describe(
      'AI interview: ffmpeg runs of the media check one worker process runs at once (answers and follow-up answers share them; about one per core you give it).',
    ),
  MEDIA_CHECK_BATCH: z.coerce
    .number()
    .int()
    .min(1)
    .max(32)
    .default(8)
    .describe(
      'AI interview: recordings one ffmpeg run checks together when several are waiting (starting ffmpeg costs more CPU than checking a short answer); 1 checks each alone.',
    ),
  MEDIA_CHECK_GATHER_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(0)
    .describe(
      'AI interview: while one ffmpeg run of the media check is busy, how long a recording waits for others to share the next run with (up to MEDIA_CHECK_BATCH), in ms; a worker with no run going starts at once. 0 (default) never waits; 500 cut the worker CPU of a thousand-candidate run by about a fifth, for a worker on cores of its own.',
    ),
  MEDIA_CHECK_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(5)
    .max(3600)
    .default(120)
    .describe(
      'AI interview: how long a worker holds a recording it is checking; after that another worker redoes the check (the first one crashed).',
    ),
  TOOL_NICENESS: niceness(DEFAULT_TOOL_NICENESS).describe(
    "CPU priority (nice value, added to the process's own) of the tools workers start: ffmpeg media checks and résumé extraction/OCR. Higher lets request handling on the same cores go first; 0 runs them at the process's priority.",
  ),
  WORKER_NICENESS: niceness(DEFAULT_WORKER_NICENESS).describe(
    "CPU priority (nice value, added to its own) a process without the web role gives itself, so request handling on cores it shares goes first; 0 (default) leaves it unchanged. The worker's media check gates the candidate's next question: on a saturated shared machine +10 made recordings wait (BENCHMARKS.md). Tools it starts get TOOL_NICENESS on top (at most 19).",
  ),
  RATE_LIMIT_SIGNIN_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .describe('Sign-in attempts per IP per minute.'),
  DELIVERY_TICK_SECONDS: z.coerce
    .number()
    .min(0.1)
    .max(60)
    .default(1)
    .describe('How often the outbox sender wakes (node-cron); it drains everything due on each wake.'),
  DELIVERY_BUSY_POLL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(100)
    .describe(
      'While messages keep coming due, the sender polls again after this many ms instead of waiting for the next tick (0: tick only).',
    ),
  DELIVERY_BATCH: z.coerce.number().int().min(1).max(1000).default(100).describe('Rows claimed per claim.'),
  DELIVERY_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(16)
    .describe('Sends in flight per worker process.'),
  DELIVERY_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(2)
    .max(3600)
    .default(60)
    .describe('How long a claimed row is held before another worker may take it over.'),
  DELIVERY_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30)
    .default(6)
    .describe('Send attempts before a message is marked failed (visible to HR).'),
  DELIVERY_APP_QPS: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .describe('DingTalk calls per second per worker process for one API (standard orgs allow 20/s per app).'),
  GROUP_ROBOT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .describe('Messages per minute per group robot (DingTalk throttles above 20 for 10 minutes).'),
  REMINDER_CANDIDATE_OFFSETS: z
    .string()
    .default('24h,1h')
    .describe('Candidate reminders before any booked interview (e.g. 24h,1h); a plan stage may set its own.'),
  REMINDER_LIVE_OFFSETS: z
    .string()
    .default('10m')
    .describe('Extra candidate reminders before a live (second-round) interview.'),
  REMINDER_INTERVIEWER_OFFSETS: z
    .string()
    .default('30m')
    .describe('Interviewer reminders before a live interview; a plan stage may set its own.'),
  REMINDER_URGENT_UNREAD_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(15)
    .describe('Re-send an unread interviewer reminder as urgent this many minutes before (0: off).'),
  REBOOK_LINK_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24)
    .default(7 * 24)
    .describe("How long a no-show's one-time reschedule link stays valid."),
  INVITATION_NUDGE_OFFSETS: z.string().default('48h,24h').describe('Nudges before an invitation deadline.'),
  APPROVAL_NUDGE_OFFSETS: z
    .string()
    .default('24h,48h')
    .describe('Nudges to approvers after an approval has waited this long.'),
  HIGH_SCORE_THRESHOLD: z.coerce
    .number()
    .min(0)
    .max(100)
    .default(85)
    .describe('Overall score from which the hiring group gets a high-score alert.'),
  DINGTALK_HIRING_GROUP_ID: z
    .string()
    .optional()
    .describe(
      "openConversationId of the hiring-team group the robot posts alerts to (a job's rules may name its own).",
    ),
  CUSTOM_ROBOT_WEBHOOK_URL: httpUrl
    .optional()
    .describe('Custom group robot webhook (…/robot/send?access_token=…); used instead of orgGroupSend.'),
  CUSTOM_ROBOT_SECRET: z.string().optional().describe('加签 secret (SEC…) of the custom webhook robot.'),
  NOTIFY_GATEWAY_URL: httpUrl
    .optional()
    .describe('The company SMS/e-mail gateway for candidates outside the org (signed POST).'),
  NOTIFY_GATEWAY_SECRET: z
    .string()
    .optional()
    .describe('HMAC-SHA256 key for the X-Signature header of gateway posts (secret store).'),
  BOT_COMMANDS_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('Chat commands answered per user per minute.'),
});

/** The parsed environment before defaults that depend on other settings are resolved. */
export type RawEnv = z.infer<typeof envSchema>;

/** Database connection, resolved from DATABASE_URL. */
export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string; url: string }
  | { dialect: 'mysql'; url: string; poolMax: number };

/** The resolved configuration every module receives. */
export interface Config {
  mode: 'demo' | 'development' | 'test' | 'production';
  /** What demo mode writes at start-up: the demo company, or nothing but the organisation's settings. */
  demoSeed: 'company' | 'empty';
  port: number;
  host: string;
  publicUrl: string;
  roles: Array<(typeof ROLE_NAMES)[number]>;
  dataDir: string;
  database: DatabaseConfig;
  storage:
    | { driver: 'local'; dir: string }
    | {
        driver: 'oss';
        endpoint: string;
        region?: string;
        bucket: string;
        accessKeyId: string;
        accessKeySecret: string;
      };
  sandboxUrl: string;
  dingtalk: {
    apiUrl: string;
    oapiUrl: string;
    loginUrl: string;
    corpId: string;
    appKey: string;
    appSecret: string;
    agentId: number;
    robotCode: string;
    eventMode: 'stream' | 'http' | 'off';
    /** HTTP callback secrets (reference §5a). */
    callback: { token: string; aesKey: string; ownerKey: string };
    /** Stream mode `connections/open` URL (reference §5b). */
    streamGatewayUrl: string;
    /** DingTalk recruitment (ATS, reference §8): `bizCode` of its calls and our `isvId`. */
    ats: { bizCode: string; isvId: string; sync: boolean };
    /** The performance master data (智能人事) read for closed-loop validity. */
    hrm: { performanceTenantId: number; performanceView: string };
  };
  analytics: {
    /** Fewest hires with a known outcome before a validity correlation is shown. */
    outcomeMinN: number;
  };
  /** External tools the workers start: their nice value (`TOOL_NICENESS`). */
  tools: { niceness: number };
  /** Nice value a process without the web role gives itself (`WORKER_NICENESS`; 0 = unchanged). */
  workerNiceness: number;
  workflow: {
    secondRoundProcessCode?: string;
    offerProcessCode?: string;
    accommodationProcessCode?: string;
    reconcileAfterMinutes: number;
  };
  session: { secret: string; ttlMinutes: number };
  invitationTtlDays: number;
  logLevel: RawEnv['LOG_LEVEL'];
  bodyLimitKb: number;
  trustProxy: boolean;
  /** Proxies that append to X-Forwarded-For (Koa `maxIpsCount`); used only with `trustProxy`. */
  trustProxyHops: number;
  /** Idle keep-alive connections close after this (above the load balancer's own idle timeout). */
  httpKeepAliveSeconds: number;
  rateLimits: { signInPerMinute: number };
  /** Speech to text (scoring). */
  asr: {
    provider: 'dashscope' | 'openai';
    dashscope: { url: string; apiKey: string; model: string };
    openai: { url: string; apiKey: string | null; model: string };
    timeoutMs: number;
    pollMs: number;
    retries: number;
  };
  /** Optional LLM assessor (off by default). */
  llm: { enabled: boolean; url: string | null; apiKey: string | null; model: string; timeoutMs: number };
  /** AI interview timing and upload limits. */
  interview: {
    graceSeconds: number;
    uploadMaxBytes: number;
    /** OSS multipart part size, bytes. */
    partBytes: number;
    grantTtlSeconds: number;
    grantsPerMinute: number;
    /** Media checks in the worker role: poll interval, parallel checks per process, lease. */
    mediaCheck: { pollMs: number; concurrency: number; batch: number; gatherMs: number; leaseMs: number };
  };
  delivery: {
    tickSeconds: number;
    /** Poll interval while busy, ms (see `DeliveryWorker.drainWhileBusy`). */
    busyPollMs: number;
    batch: number;
    concurrency: number;
    leaseSeconds: number;
    maxAttempts: number;
    appQps: number;
    groupPerMinute: number;
  };
  notifications: {
    /** Minutes before the start. */
    candidateOffsets: number[];
    liveOffsets: number[];
    interviewerOffsets: number[];
    urgentUnreadMinutes: number;
    /** Validity of a no-show's one-time reschedule link, and its signing key (the session secret). */
    rebookLinkHours: number;
    rebookSecret: string;
    /** Minutes before the invitation deadline. */
    invitationNudges: number[];
    /** Minutes after the approval started. */
    approvalNudges: number[];
    highScoreThreshold: number;
    hiringGroupId: string;
    customRobot: { url: string; secret: string | null } | null;
    gateway: { url: string; secret: string } | null;
    commandsPerMinute: number;
  };
}

/** Parses "24h,1h,10m" into minutes; unknown parts are reported. */
function offsets(name: string, value: string, problems: string[]): number[] {
  const out: number[] = [];
  for (const part of value
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const m = /^(\d+)(m|h|d)$/.exec(part);
    if (!m) {
      problems.push(`${name}: "${part}" is not a duration like 24h, 90m or 2d`);
      continue;
    }
    out.push(Number(m[1]) * (m[2] === 'd' ? 1440 : m[2] === 'h' ? 60 : 1));
  }
  return out;
}

const DEMO_GATEWAY_SECRET = 'demo-gateway-secret-change-me';

function resolveDatabase(raw: RawEnv, dataDir: string, problems: string[]): DatabaseConfig {
  const url = raw.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'app.db')}`;
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) {
    return { dialect: 'mysql', url: url.replace(/^mariadb:/, 'mysql:'), poolMax: raw.DB_POOL_MAX };
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) problems.push('DATABASE_URL: sqlite: needs a file path or :memory:');
    return { dialect: 'sqlite', file, url };
  }
  problems.push(`DATABASE_URL: unsupported scheme in "${url.split(':')[0]}:" (use mysql:// or sqlite:)`);
  return { dialect: 'sqlite', file: ':memory:', url };
}

/**
 * Parses and validates the environment. Throws a {@link ConfigError} naming every bad setting.
 * Production additionally goes through {@link assertProductionReady}.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const raw = parsed.data;
  const problems: string[] = [];
  const mode = raw.APP_MODE ?? (raw.NODE_ENV === 'production' ? 'production' : 'demo');
  const dataDir = path.resolve(raw.DATA_DIR);
  const roles = raw.ROLES.split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const r of roles) {
    if (!(ROLE_NAMES as readonly string[]).includes(r))
      problems.push(`ROLES: unknown role "${r}" (use web, worker, bot)`);
  }
  if (roles.length === 0) problems.push('ROLES: at least one role is required');

  const sandbox = raw.SANDBOX_URL;
  const storage: Config['storage'] =
    raw.STORAGE_DRIVER === 'oss'
      ? {
          driver: 'oss',
          endpoint: raw.OSS_ENDPOINT ?? sandbox,
          region: raw.OSS_REGION,
          bucket: raw.OSS_BUCKET ?? 'interviews',
          accessKeyId: raw.OSS_ACCESS_KEY_ID ?? SANDBOX_OSS_KEY_ID,
          accessKeySecret: raw.OSS_ACCESS_KEY_SECRET ?? SANDBOX_OSS_KEY_SECRET,
        }
      : { driver: 'local', dir: path.resolve(raw.STORAGE_LOCAL_DIR ?? path.join(dataDir, 'objects')) };

  const config: Config = {
    mode,
    demoSeed: raw.DEMO_SEED,
    port: raw.PORT,
    host: raw.HOST,
    publicUrl: raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`,
    roles: roles as Config['roles'],
    dataDir,
    database: resolveDatabase(raw, dataDir, problems),
    storage,
    sandboxUrl: sandbox,
    dingtalk: {
      apiUrl: raw.DINGTALK_API_URL ?? sandbox,
      oapiUrl: raw.DINGTALK_OAPI_URL ?? sandbox,
      loginUrl: raw.DINGTALK_LOGIN_URL ?? sandbox,
      corpId: raw.DINGTALK_CORP_ID ?? DEMO_ORG.corpId,
      appKey: raw.DINGTALK_APP_KEY ?? DEMO_ORG.appKey,
      appSecret: raw.DINGTALK_APP_SECRET ?? DEMO_ORG.appSecret,
      agentId: raw.DINGTALK_AGENT_ID ?? DEMO_ORG.agentId,
      robotCode: raw.DINGTALK_ROBOT_CODE ?? raw.DINGTALK_APP_KEY ?? DEMO_ORG.robotCode,
      eventMode: raw.DINGTALK_EVENT_MODE,
      callback: {
        token: raw.DINGTALK_CALLBACK_TOKEN,
        aesKey: raw.DINGTALK_CALLBACK_AES_KEY,
        ownerKey: raw.DINGTALK_CALLBACK_OWNER_KEY ?? raw.DINGTALK_APP_KEY ?? DEMO_ORG.appKey,
      },
      streamGatewayUrl:
        raw.DINGTALK_STREAM_GATEWAY_URL ?? `${raw.DINGTALK_API_URL ?? sandbox}/v1.0/gateway/connections/open`,
      ats: {
        bizCode: raw.DINGTALK_ATS_BIZ_CODE,
        isvId: raw.DINGTALK_ATS_ISV_ID ?? raw.DINGTALK_APP_KEY ?? DEMO_ORG.appKey,
        sync: raw.DINGTALK_ATS_SYNC === 'on',
      },
      hrm: {
        performanceTenantId: raw.DINGTALK_HRM_PERFORMANCE_TENANT_ID,
        performanceView: raw.DINGTALK_HRM_PERFORMANCE_VIEW,
      },
    },
    analytics: { outcomeMinN: raw.ANALYTICS_OUTCOME_MIN_N },
    /** External tools the workers start (kernel/proc/priority.ts). */
    tools: { niceness: raw.TOOL_NICENESS },
    /** Background-only processes yield the CPU to request handling (kernel/proc/priority.ts). */
    workerNiceness: raw.WORKER_NICENESS,
    workflow: {
      secondRoundProcessCode: raw.WORKFLOW_SECOND_ROUND_PROCESS_CODE,
      offerProcessCode: raw.WORKFLOW_OFFER_PROCESS_CODE,
      accommodationProcessCode: raw.WORKFLOW_ACCOMMODATION_PROCESS_CODE,
      reconcileAfterMinutes: raw.WORKFLOW_RECONCILE_AFTER_MINUTES,
    },
    session: { secret: raw.SESSION_SECRET ?? DEMO_SESSION_SECRET, ttlMinutes: raw.SESSION_TTL_MINUTES },
    invitationTtlDays: raw.INVITATION_TTL_DAYS,
    logLevel: raw.LOG_LEVEL,
    bodyLimitKb: raw.BODY_LIMIT_KB,
    trustProxy: raw.TRUST_PROXY,
    trustProxyHops: raw.TRUST_PROXY_HOPS,
    httpKeepAliveSeconds: raw.HTTP_KEEPALIVE_SECONDS,
    rateLimits: { signInPerMinute: raw.RATE_LIMIT_SIGNIN_PER_MINUTE },
    asr: {
      provider: raw.ASR_PROVIDER,
      dashscope: {
        url: raw.ASR_DASHSCOPE_URL ?? sandbox,
        apiKey: raw.ASR_DASHSCOPE_API_KEY ?? SANDBOX_DASHSCOPE_KEY,
        model: raw.ASR_DASHSCOPE_MODEL,
      },
      openai: {
        url: raw.ASR_OPENAI_URL ?? sandbox,
        apiKey: raw.ASR_OPENAI_API_KEY ?? null,
        model: raw.ASR_OPENAI_MODEL,
      },
      timeoutMs: raw.ASR_TIMEOUT_SECONDS * 1000,
      pollMs: raw.ASR_POLL_MS,
      retries: raw.ASR_RETRIES,
    },
    llm: {
      enabled: raw.LLM_ENABLED,
      url: raw.LLM_URL ?? null,
      apiKey: raw.LLM_API_KEY ?? null,
      model: raw.LLM_MODEL,
      timeoutMs: raw.LLM_TIMEOUT_SECONDS * 1000,
    },
    interview: {
      graceSeconds: raw.INTERVIEW_GRACE_SECONDS,
      uploadMaxBytes: raw.UPLOAD_MAX_MB * 1024 * 1024,
      partBytes: raw.UPLOAD_PART_KB * 1024,
      grantTtlSeconds: raw.UPLOAD_GRANT_TTL_SECONDS,
      grantsPerMinute: raw.RATE_LIMIT_UPLOAD_GRANTS_PER_MINUTE,
      mediaCheck: {
        pollMs: raw.MEDIA_CHECK_POLL_MS,
        concurrency: raw.MEDIA_CHECK_CONCURRENCY,
        batch: raw.MEDIA_CHECK_BATCH,
        gatherMs: raw.MEDIA_CHECK_GATHER_MS,
        leaseMs: raw.MEDIA_CHECK_LEASE_SECONDS * 1000,
      },
    },
    delivery: {
      tickSeconds: raw.DELIVERY_TICK_SECONDS,
      busyPollMs: raw.DELIVERY_BUSY_POLL_MS,
      batch: raw.DELIVERY_BATCH,
      concurrency: raw.DELIVERY_CONCURRENCY,
      leaseSeconds: raw.DELIVERY_LEASE_SECONDS,
      maxAttempts: raw.DELIVERY_MAX_ATTEMPTS,
      appQps: raw.DELIVERY_APP_QPS,
      groupPerMinute: raw.GROUP_ROBOT_PER_MINUTE,
    },
    notifications: {
      candidateOffsets: offsets('REMINDER_CANDIDATE_OFFSETS', raw.REMINDER_CANDIDATE_OFFSETS, problems),
      liveOffsets: offsets('REMINDER_LIVE_OFFSETS', raw.REMINDER_LIVE_OFFSETS, problems),
      interviewerOffsets: offsets('REMINDER_INTERVIEWER_OFFSETS', raw.REMINDER_INTERVIEWER_OFFSETS, problems),
      urgentUnreadMinutes: raw.REMINDER_URGENT_UNREAD_MINUTES,
      rebookLinkHours: raw.REBOOK_LINK_HOURS,
      rebookSecret: raw.SESSION_SECRET ?? DEMO_SESSION_SECRET,
      invitationNudges: offsets('INVITATION_NUDGE_OFFSETS', raw.INVITATION_NUDGE_OFFSETS, problems),
      approvalNudges: offsets('APPROVAL_NUDGE_OFFSETS', raw.APPROVAL_NUDGE_OFFSETS, problems),
      highScoreThreshold: raw.HIGH_SCORE_THRESHOLD,
      hiringGroupId: raw.DINGTALK_HIRING_GROUP_ID ?? 'cid-demo-hiring-team',
      customRobot: raw.CUSTOM_ROBOT_WEBHOOK_URL
        ? { url: raw.CUSTOM_ROBOT_WEBHOOK_URL, secret: raw.CUSTOM_ROBOT_SECRET ?? null }
        : null,
      // The demo points the candidate gateway at the sandbox's stand-in; production must set it
      // (or leave both unset: candidates then only get the mini-app inbox).
      gateway:
        raw.NOTIFY_GATEWAY_URL || mode !== 'production'
          ? {
              url: raw.NOTIFY_GATEWAY_URL ?? `${sandbox}/company-gateway/notify`,
              secret: raw.NOTIFY_GATEWAY_SECRET ?? DEMO_GATEWAY_SECRET,
            }
          : null,
      commandsPerMinute: raw.BOT_COMMANDS_PER_MINUTE,
    },
  };
  if (problems.length) throw new ConfigError(problems);
  if (mode === 'production') assertProductionReady(config, raw);
  return config;
}

function isLocalHost(url: string): boolean {
  try {
    const h = new URL(url).hostname;
    return h === 'localhost' || h === '::1' || h === '[::1]' || h.startsWith('127.') || h === '0.0.0.0';
  } catch {
    return false;
  }
}

/**
 * Production must not talk to the sandbox or run on demo secrets. Every problem is listed
 * at once, each naming the setting, so an operator fixes them in one pass.
 */
export function assertProductionReady(config: Config, raw: RawEnv): void {
  const problems: string[] = [];
  const endpoints: Array<[string, string | undefined]> = [
    ['DINGTALK_API_URL', raw.DINGTALK_API_URL],
    ['DINGTALK_OAPI_URL', raw.DINGTALK_OAPI_URL],
    ['DINGTALK_LOGIN_URL', raw.DINGTALK_LOGIN_URL],
  ];
  if (config.storage.driver === 'oss') endpoints.push(['OSS_ENDPOINT', raw.OSS_ENDPOINT]);
  for (const [name, value] of endpoints) {
    if (!value) problems.push(`${name}: required in production (it defaults to the sandbox)`);
    else if (value === config.sandboxUrl || isLocalHost(value))
      problems.push(`${name}: points at the sandbox (${value}); set the real endpoint`);
  }
  const secrets: Array<[string, string | undefined]> = [
    ['DINGTALK_CORP_ID', raw.DINGTALK_CORP_ID],
    ['DINGTALK_APP_KEY', raw.DINGTALK_APP_KEY],
    ['DINGTALK_APP_SECRET', raw.DINGTALK_APP_SECRET],
    ['DINGTALK_AGENT_ID', raw.DINGTALK_AGENT_ID?.toString()],
    ['SESSION_SECRET', raw.SESSION_SECRET],
    ['DATABASE_URL', raw.DATABASE_URL],
    ['PUBLIC_URL', raw.PUBLIC_URL],
  ];
  if (config.storage.driver === 'oss') {
    secrets.push(
      ['OSS_BUCKET', raw.OSS_BUCKET],
      ['OSS_ACCESS_KEY_ID', raw.OSS_ACCESS_KEY_ID],
      ['OSS_ACCESS_KEY_SECRET', raw.OSS_ACCESS_KEY_SECRET],
    );
  }
  for (const [name, value] of secrets) if (!value) problems.push(`${name}: required in production`);
  if (raw.DINGTALK_APP_SECRET === DEMO_ORG.appSecret)
    problems.push('DINGTALK_APP_SECRET: is the demo secret');
  if (raw.DINGTALK_CORP_ID === DEMO_ORG.corpId) problems.push('DINGTALK_CORP_ID: is the demo organisation');
  if (raw.SESSION_SECRET === DEMO_SESSION_SECRET) problems.push('SESSION_SECRET: is the demo secret');
  // Demo callback secrets are printed in the README: refused whatever the event mode, so a
  // switch to HTTP mode (or a route mounted by mistake) never runs on a public secret.
  if (raw.DINGTALK_CALLBACK_TOKEN === DEMO_CALLBACK_TOKEN)
    problems.push(
      'DINGTALK_CALLBACK_TOKEN: is the demo token (set a random one, whatever DINGTALK_EVENT_MODE)',
    );
  if (raw.DINGTALK_CALLBACK_AES_KEY === DEMO_CALLBACK_AES_KEY)
    problems.push(
      'DINGTALK_CALLBACK_AES_KEY: is the demo key (set a random one, whatever DINGTALK_EVENT_MODE)',
    );
  if (raw.DINGTALK_APP_KEY === DEMO_ORG.appKey) problems.push('DINGTALK_APP_KEY: is the demo app');
  if (
    raw.DINGTALK_CALLBACK_OWNER_KEY === DEMO_ORG.appKey ||
    raw.DINGTALK_CALLBACK_OWNER_KEY === DEMO_ORG.corpId
  )
    problems.push('DINGTALK_CALLBACK_OWNER_KEY: is the demo app or organisation');
  if (raw.OSS_ACCESS_KEY_ID === SANDBOX_OSS_KEY_ID || raw.OSS_ACCESS_KEY_SECRET === SANDBOX_OSS_KEY_SECRET)
    problems.push('OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET: are the sandbox keys');
  if (config.dingtalk.eventMode === 'stream' && isLocalHost(config.dingtalk.streamGatewayUrl))
    problems.push('DINGTALK_STREAM_GATEWAY_URL: points at the sandbox');
  if (
    raw.NOTIFY_GATEWAY_URL &&
    (!raw.NOTIFY_GATEWAY_SECRET || raw.NOTIFY_GATEWAY_SECRET === DEMO_GATEWAY_SECRET)
  )
    problems.push('NOTIFY_GATEWAY_SECRET: required with NOTIFY_GATEWAY_URL (not the demo secret)');
  if (raw.NOTIFY_GATEWAY_URL && isLocalHost(raw.NOTIFY_GATEWAY_URL))
    problems.push('NOTIFY_GATEWAY_URL: points at localhost');
  // Speech to text must not go to the sandbox, and the LLM assessor needs an endpoint when on.
  const asrUrl = raw.ASR_PROVIDER === 'dashscope' ? raw.ASR_DASHSCOPE_URL : raw.ASR_OPENAI_URL;
  const asrName = raw.ASR_PROVIDER === 'dashscope' ? 'ASR_DASHSCOPE_URL' : 'ASR_OPENAI_URL';
  if (!asrUrl) problems.push(`${asrName}: required in production (it defaults to the sandbox)`);
  else if (asrUrl === config.sandboxUrl || isLocalHost(asrUrl))
    problems.push(`${asrName}: points at the sandbox (${asrUrl}); set the real endpoint`);
  if (
    raw.ASR_PROVIDER === 'dashscope' &&
    (!raw.ASR_DASHSCOPE_API_KEY || raw.ASR_DASHSCOPE_API_KEY === SANDBOX_DASHSCOPE_KEY)
  )
    problems.push('ASR_DASHSCOPE_API_KEY: required in production');
  if (raw.LLM_ENABLED && !raw.LLM_URL) problems.push('LLM_URL: required when LLM_ENABLED');
  if (problems.length) throw new ConfigError(problems.map((p) => `${p} [production]`));
}

/** True when DingTalk endpoints point at the local sandbox (demo, tests). */
export function usesSandbox(config: Config): boolean {
  return config.dingtalk.apiUrl === config.sandboxUrl || isLocalHost(config.dingtalk.apiUrl);
}
