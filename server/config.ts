import path from 'node:path';
import { z } from 'zod';
import { DEMO_ORG } from './db/seeds/demoCompany';

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
const DEMO_SESSION_SECRET = 'demo-session-secret-change-me-in-production-0123456789';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

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
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10).describe('MySQL connection pool size.'),
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
  DINGTALK_EVENT_MODE: z
    .enum(['stream', 'http', 'off'])
    .default('stream')
    .describe('How DingTalk events arrive: Stream mode (no public URL), HTTP callback, or off.'),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_KB: z.coerce.number().int().min(1).max(10240).default(256).describe('Maximum JSON body size.'),
  TRUST_PROXY: bool.default(false).describe('Trust X-Forwarded-* headers (behind a load balancer).'),
  RATE_LIMIT_SIGNIN_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .describe('Sign-in attempts per IP per minute.'),
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
  };
  session: { secret: string; ttlMinutes: number };
  invitationTtlDays: number;
  logLevel: RawEnv['LOG_LEVEL'];
  bodyLimitKb: number;
  trustProxy: boolean;
  rateLimits: { signInPerMinute: number };
}

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
          accessKeyId: raw.OSS_ACCESS_KEY_ID ?? 'sandbox-access-key-id',
          accessKeySecret: raw.OSS_ACCESS_KEY_SECRET ?? 'sandbox-access-key-secret',
        }
      : { driver: 'local', dir: path.resolve(raw.STORAGE_LOCAL_DIR ?? path.join(dataDir, 'objects')) };

  const config: Config = {
    mode,
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
    },
    session: { secret: raw.SESSION_SECRET ?? DEMO_SESSION_SECRET, ttlMinutes: raw.SESSION_TTL_MINUTES },
    invitationTtlDays: raw.INVITATION_TTL_DAYS,
    logLevel: raw.LOG_LEVEL,
    bodyLimitKb: raw.BODY_LIMIT_KB,
    trustProxy: raw.TRUST_PROXY,
    rateLimits: { signInPerMinute: raw.RATE_LIMIT_SIGNIN_PER_MINUTE },
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
  if (problems.length) throw new ConfigError(problems.map((p) => `${p} [production]`));
}

/** True when DingTalk endpoints point at the local sandbox (demo, tests). */
export function usesSandbox(config: Config): boolean {
  return config.dingtalk.apiUrl === config.sandboxUrl || isLocalHost(config.dingtalk.apiUrl);
}
