import type { Next } from 'koa';
import type { AppContext } from './context';

/**
 * Security headers for API and app responses. The H5 app runs inside DingTalk's WebView and
 * may be framed by DingTalk's PC client, so frame-ancestors allows DingTalk's own origins.
 */
export async function securityHeaders(ctx: AppContext, next: Next): Promise<void> {
  await next();
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  ctx.set('Permissions-Policy', 'camera=(self), microphone=(self), geolocation=()');
  if (ctx.path.startsWith('/api/')) {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  } else {
    // Browsers upload answers straight to OSS: its origin must be reachable (https: covers
    // Alibaba Cloud; a custom or local endpoint such as the sandbox is named explicitly).
    const storage = ctx.deps.config.storage;
    const oss = storage.driver === 'oss' ? ` ${new URL(storage.endpoint).origin}` : '';
    ctx.set(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        "img-src 'self' data: blob: https:",
        `media-src 'self' blob: https:${oss}`,
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self'",
        `connect-src 'self' https:${oss}`,
        "frame-ancestors 'self' https://*.dingtalk.com",
      ].join('; '),
    );
  }
}
