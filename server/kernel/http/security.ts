import type { Next } from 'koa';
import { usesSandbox } from '../config';
import { ossBucketOrigin } from '../integrations/storage/oss';
import type { AppContext } from './context';

/** DingTalk's hosts (avatars and images it serves, the PC client's frames). */
const DINGTALK_HOSTS = 'https://*.dingtalk.com';
/** One year, sub-domains included: once a browser saw HTTPS here it never tries plain HTTP. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * `ctx.set(name, value)` for one string value, without Koa's per-call arrays (an entry list, a
 * normalised copy, a lower-cased name to check for single-value headers): the headers below are
 * set on every response, and those arrays were the largest share of this middleware's garbage.
 * Same effect: nothing once the headers are sent, else the Node response's `setHeader`.
 */
export function setHeader(ctx: Pick<AppContext, 'res'>, name: string, value: string): void {
  if (!ctx.res.headersSent) ctx.res.setHeader(name, value);
}

/**
 * Security headers for API and app responses. The H5 app runs inside DingTalk's WebView and
 * may be framed by DingTalk's PC client, so frame-ancestors allows DingTalk's own origins.
 */
export async function securityHeaders(ctx: AppContext, next: Next): Promise<void> {
  await next();
  setHeader(ctx, 'X-Content-Type-Options', 'nosniff');
  setHeader(ctx, 'Referrer-Policy', 'strict-origin-when-cross-origin');
  setHeader(ctx, 'Cross-Origin-Opener-Policy', 'same-origin');
  setHeader(ctx, 'Permissions-Policy', 'camera=(self), microphone=(self), geolocation=()');
  // HSTS only over HTTPS (directly, or at the trusted proxy: `ctx.secure` honours
  // X-Forwarded-Proto only with TRUST_PROXY), or when the public URL is HTTPS.
  if (ctx.secure || ctx.deps.config.publicUrl.startsWith('https://'))
    setHeader(ctx, 'Strict-Transport-Security', HSTS);
  if (ctx.path.startsWith('/api/')) {
    setHeader(ctx, 'Cache-Control', 'no-store');
    setHeader(ctx, 'Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  } else {
    // Only our origin, the configured OSS bucket (uploads go straight to it, playback URLs
    // come from it) and DingTalk's hosts; never any https: origin.
    const storage = ctx.deps.config.storage;
    const oss = storage.driver === 'oss' ? ` ${ossBucketOrigin(storage.endpoint, storage.bucket)}` : '';
    // Outside production DingTalk is the local sandbox (avatars come from it).
    const dingtalk = usesSandbox(ctx.deps.config)
      ? `${DINGTALK_HOSTS} ${new URL(ctx.deps.config.sandboxUrl).origin}`
      : DINGTALK_HOSTS;
    setHeader(
      ctx,
      'Content-Security-Policy',
      [
        "default-src 'self'",
        `img-src 'self' data: blob:${oss} ${dingtalk}`,
        `media-src 'self' blob:${oss}`,
        "style-src 'self' 'unsafe-inline'",
        // Inline scripts only by hash, only those of the page being sent (static.ts).
        ["script-src 'self'", ...(ctx.state.scriptSources ?? [])].join(' '),
        `connect-src 'self'${oss} ${DINGTALK_HOSTS}`,
        `frame-ancestors 'self' ${DINGTALK_HOSTS}`,
      ].join('; '),
    );
  }
}
