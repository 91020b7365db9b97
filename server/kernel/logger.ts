import pino, { type Logger } from 'pino';

/** Log categories; every log line carries one so operators can filter by concern. */
export type LogCategory =
  | 'http'
  | 'jobs'
  | 'bot'
  | 'dingtalk'
  | 'storage'
  | 'scoring'
  | 'db'
  | 'app'
  | 'sandbox';

/**
 * Paths pino blanks out. Secrets must never reach logs (TRUST.md), so anything that looks
 * like a credential is redacted wherever it appears in a logged object.
 */
const REDACT_PATHS = [
  'appSecret',
  '*.appSecret',
  'clientSecret',
  '*.clientSecret',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-acs-dingtalk-access-token"]',
  'headers.authorization',
  'headers["x-acs-dingtalk-access-token"]',
];

/**
 * Credentials that travel in URLs: tokens in known path positions (invitation links, upload
 * grants) and query parameters that carry codes, tokens, states and signatures.
 */
const PATH_TOKEN = /(\/invite\/|\/uploads\/|\/bookings\/ics\/)[^\s/?#"'\\]+/g;
const QUERY_TOKEN =
  /(\b(?:access_token|accessToken|token|t|code|authCode|auth_code|sandbox_auth_code|state|ticket|rebook|rebookToken|sign|signature|msg_signature|Signature|OSSAccessKeyId|policy|appsecret|appSecret|secret|session|key|nonce)=)[^&\s#"']*/g;
/** Compact JWS/JWT (session and invitation tokens), wherever it appears. */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g;
/** `Bearer <credential>` in an echoed header or message. */
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

/**
 * Removes credentials from free text (paths, URLs, error messages and stacks): the last line of
 * defence behind the redact paths, so a token copied from a log signs nobody in.
 */
export function scrubText(text: string): string {
  return text
    .replace(JWT, '[redacted]')
    .replace(BEARER, '$1[redacted]')
    .replace(PATH_TOKEN, '$1[redacted]')
    .replace(QUERY_TOKEN, '$1[redacted]');
}

/** A request path as logged: tokens in known path positions are replaced. */
export function redactPath(path: string): string {
  return scrubText(path);
}

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  // Errors are left to the `err` serializer, which keeps their type and scrubs message and stack.
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, depth + 1);
  return out;
}

function scrubError(err: unknown): unknown {
  const s = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!s || typeof s !== 'object') return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) out[k] = scrubValue(v, 3);
  return out;
}

/** Creates the root logger. Tests pass `level: 'silent'` or a destination stream. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: scrubError, error: scrubError },
      // Every logged object and message goes through the scrubber (bindings of child loggers
      // are set by our own code and carry ids only).
      formatters: { log: (obj) => scrubValue(obj, 0) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination,
  );
}

/** A child logger for one category. */
export function categoryLogger(root: Logger, category: LogCategory): Logger {
  return root.child({ category });
}

interface LazyLog {
  parent: Logger;
  bindings: Record<string, unknown>;
  child?: Logger;
}

const lazyLogs = new WeakMap<object, LazyLog>();

/**
 * Gives `holder.log` a child of `parent` with `bindings` that is only built when first read. Why:
 * a web request built two pino children (request id, then actor) whether or not it logged
 * anything, a measurable share of the CPU of a small request such as the upload grant.
 */
export function lazyChildLog(
  holder: { log: Logger },
  parent: Logger,
  bindings: Record<string, unknown>,
): void {
  const lazy: LazyLog = { parent, bindings: { ...bindings } };
  lazyLogs.set(holder, lazy);
  Object.defineProperty(holder, 'log', {
    configurable: true,
    enumerable: true,
    get: () => {
      lazy.child ??= lazy.parent.child(lazy.bindings);
      return lazy.child;
    },
    set: (log: Logger) => {
      lazy.child = log;
    },
  });
}

/** Adds bindings to `holder.log` (lazily when {@link lazyChildLog} set it up and it is unused). */
export function bindLog(holder: { log: Logger }, bindings: Record<string, unknown>): void {
  const lazy = lazyLogs.get(holder);
  if (lazy && !lazy.child) Object.assign(lazy.bindings, bindings);
  else holder.log = holder.log.child(bindings);
}

/**
 * Masks a secret for display (first 4 characters, then asterisks): enough to tell which key
 * is configured without revealing it.
 */
export function maskSecret(value: string | undefined): string {
  if (!value) return '(unset)';
  return value.length <= 4 ? '****' : `${value.slice(0, 4)}${'*'.repeat(Math.min(12, value.length - 4))}`;
}

/** Masks `access_token=...` and similar query parameters (and path tokens) in a URL before logging it. */
export function maskUrl(url: string): string {
  return scrubText(url);
}

export type { Logger };
