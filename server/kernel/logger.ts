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

/** Creates the root logger. Tests pass `level: 'silent'` or a destination stream. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** A child logger for one category. */
export function categoryLogger(root: Logger, category: LogCategory): Logger {
  return root.child({ category });
}

/**
 * Masks a secret for display (first 4 characters, then asterisks): enough to tell which key
 * is configured without revealing it.
 */
export function maskSecret(value: string | undefined): string {
  if (!value) return '(unset)';
  return value.length <= 4 ? '****' : `${value.slice(0, 4)}${'*'.repeat(Math.min(12, value.length - 4))}`;
}

/** Masks `access_token=...` and similar query parameters in a URL before logging it. */
export function maskUrl(url: string): string {
  return url.replace(/((?:access_token|appsecret|appSecret|ticket|code|token)=)[^&]+/g, '$1[redacted]');
}

export type { Logger };
