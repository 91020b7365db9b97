import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { jsonBodyParser } from './body';
import type { AppContext } from './context';
import { errorMiddleware } from './errors';

const LIMIT_KB = 4;

interface Reply {
  status: number;
  body: { echo?: unknown; handled?: boolean; error?: { code: string; details?: unknown } };
}

/**
 * An app as `createApp` arranges it (error middleware, then the body reader) whose one route
 * echoes what the reader made of the body.
 */
function echoApp(): Koa {
  const app = new Koa();
  const log = createLogger('silent');
  app.use(async (ctx, next) => {
    ctx.state.log = log;
    ctx.state.requestId = 'test';
    await next();
  });
  app.use(errorMiddleware as unknown as Koa.Middleware);
  app.use(jsonBodyParser(LIMIT_KB * 1024));
  app.use((ctx) => {
    const body = (ctx.request as { body?: unknown }).body;
    (ctx as unknown as AppContext).body = { handled: true, echo: body === undefined ? '(undefined)' : body };
  });
  return app;
}

function listen(app: Koa): Promise<{ server: http.Server; port: number }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port }),
    );
  });
}

interface Req {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sent in pieces without a Content-Length (chunked). */
  chunked?: boolean;
}

function send(port: number, r: Req): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/api/echo', method: r.method ?? 'POST', headers: r.headers },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} });
        });
      },
    );
    req.on('error', reject);
    const body = r.body === undefined ? undefined : Buffer.from(r.body);
    if (body && !r.chunked) req.setHeader('content-length', body.length);
    if (body && r.chunked) {
      // Several writes: the reader must put the pieces together.
      for (let i = 0; i < body.length; i += 1000) req.write(body.subarray(i, i + 1000));
    } else if (body) req.write(body);
    req.end();
  });
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const big = JSON.stringify({ text: 'x'.repeat(LIMIT_KB * 1024) });
const nested = JSON.stringify({ a: [{ b: { '\u4e2d': '\u6587', n: 1.5, t: true, z: null } }] });

/** The requests, by name; each has its expectation in the tests below. */
const CASES: Record<string, Req> = {
  object: { headers: JSON_HEADERS, body: nested },
  array: { headers: JSON_HEADERS, body: '[1,2,{"a":"b"}]' },
  'charset parameter': { headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"a":1}' },
  'upper-case type': { headers: { 'content-type': 'Application/JSON' }, body: '{"a":1}' },
  'trailing semicolon': { headers: { 'content-type': 'application/json;' }, body: '{"a":1}' },
  'a +json type': { headers: { 'content-type': 'application/vnd.api+json' }, body: '{"a":1}' },
  'leading whitespace': { headers: JSON_HEADERS, body: ' \n\t{"a":1}' },
  'byte-order mark': { headers: JSON_HEADERS, body: '\ufeff{"a":1}' },
  'empty body': { headers: JSON_HEADERS, body: '' },
  'no body': { headers: JSON_HEADERS },
  'chunked body': { headers: JSON_HEADERS, body: JSON.stringify({ text: 'y'.repeat(3000) }), chunked: true },
  'text/plain is not read': { headers: { 'content-type': 'text/plain' }, body: '{"a":1}' },
  'a form is not read': { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' },
  'no content type': { body: '{"a":1}' },
  'GET is not read': { method: 'GET', headers: JSON_HEADERS },
  'DELETE is not read': { method: 'DELETE', headers: JSON_HEADERS, body: '{"a":1}' },
  'PUT is read': { method: 'PUT', headers: JSON_HEADERS, body: '{"a":1}' },
  'PATCH is read': { method: 'PATCH', headers: JSON_HEADERS, body: '{"a":1}' },
  'a string': { headers: JSON_HEADERS, body: '"text"' },
  'a number': { headers: JSON_HEADERS, body: '42' },
  'not JSON': { headers: JSON_HEADERS, body: '{"a":' },
  'a single quote': { headers: JSON_HEADERS, body: "{'a':1}" },
  __proto__: { headers: JSON_HEADERS, body: '{"__proto__":{"admin":true}}' },
  'nested __proto__': { headers: JSON_HEADERS, body: '{"a":[{"b":{"__proto__":{"admin":true}}}]}' },
  'escaped __proto__': { headers: JSON_HEADERS, body: '{"\\u005f_proto__":{"admin":true}}' },
  'constructor is only a key': { headers: JSON_HEADERS, body: '{"constructor":{"prototype":1}}' },
  'over the limit': { headers: JSON_HEADERS, body: big },
  'over the limit, chunked': { headers: JSON_HEADERS, body: big, chunked: true },
  'at the limit': { headers: JSON_HEADERS, body: JSON.stringify({ t: 'z'.repeat(LIMIT_KB * 1024 - 10) }) },
  gzip: { headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, body: zlib.gzipSync(nested) },
  deflate: { headers: { ...JSON_HEADERS, 'content-encoding': 'deflate' }, body: zlib.deflateSync(nested) },
  br: { headers: { ...JSON_HEADERS, 'content-encoding': 'br' }, body: zlib.brotliCompressSync(nested) },
  'gzip over the limit once inflated': {
    headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
    body: zlib.gzipSync(JSON.stringify({ t: ' '.repeat(200_000) })),
  },
  'not gzip after all': { headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, body: '{"a":1}' },
  'an unknown encoding': { headers: { ...JSON_HEADERS, 'content-encoding': 'compress' }, body: '{"a":1}' },
};

describe('JSON body reader', () => {
  let app: { server: http.Server; port: number };

  beforeAll(async () => {
    app = await listen(echoApp());
  });
  afterAll(() => {
    app.server.close();
  });

  /** What the route sees for each accepted case. */
  const accepted: Record<string, unknown> = {
    object: JSON.parse(nested),
    array: [1, 2, { a: 'b' }],
    'charset parameter': { a: 1 },
    'upper-case type': { a: 1 },
    'trailing semicolon': { a: 1 },
    'a +json type': { a: 1 },
    'leading whitespace': { a: 1 },
    'byte-order mark': { a: 1 },
    'empty body': {},
    'no body': {},
    'chunked body': { text: 'y'.repeat(3000) },
    'text/plain is not read': {},
    'a form is not read': {},
    'no content type': {},
    'GET is not read': '(undefined)',
    'DELETE is not read': '(undefined)',
    'PUT is read': { a: 1 },
    'PATCH is read': { a: 1 },
    'constructor is only a key': { constructor: { prototype: 1 } },
    'at the limit': { t: 'z'.repeat(LIMIT_KB * 1024 - 10) },
    gzip: JSON.parse(nested),
    deflate: JSON.parse(nested),
    br: JSON.parse(nested),
  };
  /** Status, code and the field named for each refused case. */
  const refused: Record<string, [number, string, string]> = {
    'a string': [400, 'malformed_body', 'body'],
    'a number': [400, 'malformed_body', 'body'],
    'not JSON': [400, 'malformed_body', 'body'],
    'a single quote': [400, 'malformed_body', 'body'],
    __proto__: [400, 'malformed_body', 'body'],
    'nested __proto__': [400, 'malformed_body', 'body'],
    'escaped __proto__': [400, 'malformed_body', 'body'],
    'not gzip after all': [400, 'malformed_body', 'body'],
    'over the limit': [413, 'payload_too_large', 'body'],
    'over the limit, chunked': [413, 'payload_too_large', 'body'],
    'gzip over the limit once inflated': [413, 'payload_too_large', 'body'],
    'an unknown encoding': [415, 'unsupported_media_type', 'header.content-encoding'],
  };

  it('has an expectation for every case', () => {
    expect(Object.keys(CASES).filter((k) => !(k in accepted) && !(k in refused))).toEqual([]);
  });

  it('parses objects, arrays and compressed bodies, and leaves other types and methods alone', async () => {
    for (const [name, echo] of Object.entries(accepted)) {
      const r = await send(app.port, CASES[name]);
      expect([name, r.status, r.body.echo]).toEqual([name, 200, echo]);
    }
  });

  it('refuses bodies it cannot accept with an error naming the field, before the route runs', async () => {
    for (const [name, [status, code, field]] of Object.entries(refused)) {
      const r = await send(app.port, CASES[name]);
      expect([name, r.status, r.body.error?.code, r.body.handled]).toEqual([name, status, code, undefined]);
      expect((r.body.error?.details as { field: string }[] | undefined)?.[0]?.field, name).toBe(field);
    }
  });

  it('refuses a body whose declared length is over the limit without waiting for it', async () => {
    // Only a few bytes of the declared megabyte are ever sent: the answer must not wait for them.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: app.port,
          path: '/api/echo',
          method: 'POST',
          headers: { ...JSON_HEADERS, 'content-length': String(1024 * 1024) },
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.write('{"a":');
    });
    expect(status).toBe(413);
  });

  it('serves the next request on the same connection after refusing a large body', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: app.port,
            path: '/api/echo',
            method: 'POST',
            agent,
            headers: JSON_HEADERS,
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    expect(await post(big)).toBe(413);
    expect(await post('{"a":1}')).toBe(200);
    agent.destroy();
  });
});
