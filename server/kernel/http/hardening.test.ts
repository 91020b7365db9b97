/**
 * Edge hardening found by an outside probe (issue 13): path traversal at the static layer is a
 * plain 404 without a stack in the log; a non-JSON body on a JSON route is 415 and changes
 * nothing; HSTS over HTTPS; the page CSP names only our origin, the OSS bucket and DingTalk.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../app';
import { makeApplicants } from '../../testing/booking';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { startVariantApp } from '../../testing/variantApp';
import { DemographicSelfId } from '../db/entities/DemographicSelfId';

describeEachDialect('edge hardening', (dialect) => {
  let t: TestApp;
  let log = '';
  let server: Server;
  let site: string;
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-dist-'));

  beforeAll(async () => {
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>app</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    const sink = new Writable({
      write(chunk, _e, cb) {
        log += chunk.toString();
        cb();
      },
    });
    t = await startTestApp(dialect, { env: { LOG_LEVEL: 'info' }, logStream: sink });
    // The app with a built mini-app to serve (the harness app has none).
    const app = createApp(t.deps, { miniappDist: dist });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const addr = server.address();
    site = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }, 30_000);

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await t?.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('path traversal at the static layer is a plain 404, with no stack trace in the log', async () => {
    expect((await fetch(`${site}/assets/app.js`)).status).toBe(200);
    const before = log.length;
    for (const p of [
      '/..%2f..%2fetc%2fpasswd',
      '/assets/..%2f..%2fpackage.json',
      '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/assets/%E0%A4%A',
    ]) {
      const res = await fetch(`${site}${p}`);
      expect(res.status, p).toBe(404);
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code).toBe('route_not_found');
    }
    const lines = log.slice(before).split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('"stack"') || l.includes('"level":50'))).toBe(false);
  });

  it('a text/plain or form body on a JSON route is 415 and changes nothing', async () => {
    const [a] = await makeApplicants(t, 'backend', 1, 'invited', 'mime');
    const set = await t.api('PUT', '/api/me/demographics', {
      token: a.token,
      body: { sex: 'female', ageBand: '25-34' },
    });
    expect(set.status).toBe(200);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/html']) {
      const res = await t.api('PUT', '/api/me/demographics', {
        token: a.token,
        body: '{}',
        headers: { 'content-type': type },
      });
      expect(res.status, type).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
      expect(res.body.error.details[0].field).toBe('header.content-type');
    }
    const row = await t.orm.em.fork().findOneOrFail(DemographicSelfId, { candidate: a.candidateId });
    expect(row.categories).toEqual({ sex: 'female', ageBand: '25-34' });
    // HR's calibration refit takes JSON only, too.
    const hr = await t.signInEmployee('hr01');
    const refit = await t.api('POST', '/api/scoring/calibration', {
      token: hr,
      body: 'jobId=1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(refit.status).toBe(415);
    // A JSON route without a body, and JSON with a charset, still work.
    const json = await t.api('PUT', '/api/me/demographics', {
      token: a.token,
      body: JSON.stringify({ sex: 'male' }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(json.status).toBe(200);
  });

  it('HSTS only over HTTPS; the page CSP allows only our origin, the OSS bucket and DingTalk', async () => {
    const page = await fetch(`${site}/`);
    expect(page.headers.get('strict-transport-security')).toBeNull();
    const csp = page.headers.get('content-security-policy') ?? '';
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `)) ?? '';
    for (const name of ['img-src', 'media-src', 'connect-src']) {
      const sources = directive(name).split(/\s+/).slice(1);
      expect(sources.length, name).toBeGreaterThan(0);
      expect(sources, name).not.toContain('https:');
      expect(sources, name).not.toContain('*');
      expect(sources, name).not.toContain('http:');
    }
    expect(directive('connect-src')).toBe("connect-src 'self' https://*.dingtalk.com");

    // Behind a TLS-terminating proxy (trusted), with the bucket on a regional OSS endpoint.
    const https = await startVariantApp(t, (c) => ({
      ...c,
      trustProxy: true,
      storage: {
        driver: 'oss',
        endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
        bucket: 'interviews-prod',
        accessKeyId: 'k',
        accessKeySecret: 's',
      },
    }));
    try {
      const res = await fetch(`${https.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      const plain = await fetch(`${https.url}/healthz`);
      expect(plain.headers.get('strict-transport-security')).toBeNull();
      const app = await fetch(`${https.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
      const ossCsp = app.headers.get('content-security-policy') ?? '';
      expect(ossCsp).toContain("media-src 'self' blob: https://interviews-prod.oss-cn-hangzhou.aliyuncs.com");
      expect(ossCsp).toContain(
        "connect-src 'self' https://interviews-prod.oss-cn-hangzhou.aliyuncs.com https://*.dingtalk.com",
      );
    } finally {
      await https.close();
    }
    // Without a trusted proxy, a client's X-Forwarded-Proto changes nothing.
    const spoof = await fetch(`${site}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(spoof.headers.get('strict-transport-security')).toBeNull();
  });

  it("the page's inline scripts run by their hash only, the one of the file served now", async () => {
    const index = path.join(dist, 'index.html');
    const scriptSrc = async (url: string) =>
      ((await fetch(url)).headers.get('content-security-policy') ?? '')
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('script-src ')) ?? '';
    try {
      expect(await scriptSrc(`${site}/`)).toBe("script-src 'self'");
      // sha256 of `alert(1)`, as browsers compute it for `<script>alert(1)</script>`.
      fs.writeFileSync(
        index,
        '<!doctype html><title>app</title><script type="module" crossorigin src="/assets/app.js"></script><script>alert(1)</script>',
      );
      const first = await scriptSrc(`${site}/jobs`);
      // Its module script is preloaded from the response's headers, before the page is parsed.
      expect((await fetch(`${site}/`)).headers.get('link')).toBe(
        '</assets/app.js>; rel=modulepreload; crossorigin',
      );
      expect(first).toBe("script-src 'self' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
      expect(first).not.toContain('unsafe-inline');
      // A rebuild while the server runs: the new file's script, not the old one's.
      fs.writeFileSync(index, '<!doctype html><title>app</title><script>alert(22)</script>');
      const second = await scriptSrc(`${site}/`);
      expect(second).toMatch(/^script-src 'self' 'sha256-[A-Za-z0-9+/]{43}='$/);
      expect(second).not.toBe(first);
      // Files other than the app shell carry no hashes.
      expect(await scriptSrc(`${site}/assets/app.js`)).toBe("script-src 'self'");
    } finally {
      fs.writeFileSync(index, '<!doctype html><title>app</title>');
    }
  });
});
