/**
 * Tiny HTML helpers for the sandbox's pages (console, OAuth2 login). No templates or build step:
 * the pages are strings with inline CSS and JS, so the sandbox runs with `tsx` alone.
 */

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** JSON safe to embed inside `<script type="application/json">`. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** DingTalk-blue styles shared by all sandbox pages; mobile-friendly. */
const BASE_CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif;
  background:#f2f3f5;color:#171a1d;font-size:15px;line-height:1.5}
a{color:#0089ff}
.btn{display:inline-block;border:0;border-radius:8px;padding:8px 14px;font-size:14px;cursor:pointer;
  background:#0089ff;color:#fff;text-decoration:none}
.btn:hover{background:#0077e6}
.btn.ghost{background:#fff;color:#171a1d;border:1px solid #d9dbde}
.muted{color:#858e99;font-size:13px}
.card{background:#fff;border-radius:12px;padding:16px;margin:12px 0}
code{background:#f2f3f5;border-radius:4px;padding:0 4px}
`;

/** A complete zh-CN page. */
export function page(title: string, body: string, css = ''): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${BASE_CSS}${css}</style></head>
<body>${body}</body></html>`;
}
