import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const PROD_OK = {
  APP_MODE: 'production',
  DATABASE_URL: 'mysql://app:pw@db.internal:3306/interviews',
  PUBLIC_URL: 'https://interviews.example.com',
  DINGTALK_API_URL: 'https://api.dingtalk.com',
  DINGTALK_OAPI_URL: 'https://oapi.dingtalk.com',
  DINGTALK_LOGIN_URL: 'https://login.dingtalk.com',
  DINGTALK_CORP_ID: 'dingcorp123',
  DINGTALK_APP_KEY: 'dingappkey',
  DINGTALK_APP_SECRET: 'real-secret-value',
  DINGTALK_AGENT_ID: '123456',
  SESSION_SECRET: 'x'.repeat(48),
  ASR_DASHSCOPE_URL: 'https://dashscope.aliyuncs.com',
  ASR_DASHSCOPE_API_KEY: 'sk-real-key',
  DINGTALK_CALLBACK_TOKEN: 'a-random-callback-token-from-the-console',
  DINGTALK_CALLBACK_AES_KEY: 'Rz7Qm2Kc9Vb4Xn8Lp1Ws6Dh3Fj5Gt0Yu2Ei7Ao9Bk4Z',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config', () => {
  it('runs the demo on embedded defaults: SQLite under ./data, local objects, the sandbox', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('demo');
    expect(c.database).toMatchObject({ dialect: 'sqlite' });
    expect(c.database.url).toMatch(/data\/app\.db$/);
    expect(c.storage).toMatchObject({ driver: 'local' });
    expect((c.storage as { dir: string }).dir).toMatch(/data\/objects$/);
    expect(c.dingtalk.apiUrl).toBe('http://localhost:3900');
    expect(c.roles).toEqual(['web', 'worker', 'bot']);
  });

  it('takes the client address from the proxy-appended X-Forwarded-For entry (one proxy by default)', () => {
    expect(loadConfig({})).toMatchObject({ trustProxy: false, trustProxyHops: 1 });
    expect(loadConfig({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2' })).toMatchObject({
      trustProxy: true,
      trustProxyHops: 2,
    });
  });

  it('keeps idle HTTP connections longer than nginx keeps its upstream ones (60 s)', () => {
    expect(loadConfig({}).httpKeepAliveSeconds).toBe(65);
    expect(loadConfig({ HTTP_KEEPALIVE_SECONDS: '120' }).httpKeepAliveSeconds).toBe(120);
    expect(problemsOf({ HTTP_KEEPALIVE_SECONDS: '0' })[0]).toMatch(/^HTTP_KEEPALIVE_SECONDS:/);
  });

  it('selects MySQL from DATABASE_URL', () => {
    const c = loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/x', DB_POOL_MAX: '7' });
    expect(c.database).toEqual({ dialect: 'mysql', url: 'mysql://root@127.0.0.1:3306/x', poolMax: 7 });
  });

  it('names each bad value', () => {
    expect(problemsOf({ PORT: 'eighty' })[0]).toMatch(/^PORT:/);
    expect(problemsOf({ ROLES: 'web,cron' })).toEqual(['ROLES: unknown role "cron" (use web, worker, bot)']);
    expect(problemsOf({ DATABASE_URL: 'postgres://x' })[0]).toMatch(/^DATABASE_URL: unsupported scheme/);
    expect(problemsOf({ SESSION_SECRET: 'short' })[0]).toMatch(/^SESSION_SECRET: must be at least 32/);
    expect(problemsOf({ DINGTALK_API_URL: 'not a url' })[0]).toMatch(/^DINGTALK_API_URL:/);
    expect(problemsOf({ STORAGE_DRIVER: 'ftp' })[0]).toMatch(/^STORAGE_DRIVER:/);
    expect(problemsOf({ TRUST_PROXY_HOPS: '0' })[0]).toMatch(/^TRUST_PROXY_HOPS:/);
  });

  it('refuses production while anything points at the sandbox, naming the setting', () => {
    const p = problemsOf({ NODE_ENV: 'production' });
    expect(p).toEqual(
      expect.arrayContaining([
        'DINGTALK_API_URL: required in production (it defaults to the sandbox) [production]',
        'DINGTALK_APP_SECRET: required in production [production]',
        'SESSION_SECRET: required in production [production]',
        'DATABASE_URL: required in production [production]',
      ]),
    );
    const sandboxed = problemsOf({ ...PROD_OK, DINGTALK_OAPI_URL: 'http://localhost:3900' });
    expect(sandboxed).toEqual([
      'DINGTALK_OAPI_URL: points at the sandbox (http://localhost:3900); set the real endpoint [production]',
    ]);
    const oss = problemsOf({ ...PROD_OK, STORAGE_DRIVER: 'oss', OSS_ENDPOINT: 'http://127.0.0.1:3900' });
    expect(oss).toEqual(
      expect.arrayContaining([
        'OSS_ENDPOINT: points at the sandbox (http://127.0.0.1:3900); set the real endpoint [production]',
        'OSS_ACCESS_KEY_SECRET: required in production [production]',
      ]),
    );
  });

  it('refuses production on demo secrets', () => {
    const p = problemsOf({ ...PROD_OK, DINGTALK_APP_SECRET: 'demo-app-secret-not-for-production-0001' });
    expect(p).toEqual(['DINGTALK_APP_SECRET: is the demo secret [production]']);
  });

  it('refuses every demo/default secret in production whatever DINGTALK_EVENT_MODE', () => {
    const { DINGTALK_CALLBACK_TOKEN: _t, DINGTALK_CALLBACK_AES_KEY: _k, ...defaults } = PROD_OK;
    for (const mode of ['stream', 'http', 'off']) {
      expect(problemsOf({ ...defaults, DINGTALK_EVENT_MODE: mode }), mode).toEqual([
        'DINGTALK_CALLBACK_TOKEN: is the demo token (set a random one, whatever DINGTALK_EVENT_MODE) [production]',
        'DINGTALK_CALLBACK_AES_KEY: is the demo key (set a random one, whatever DINGTALK_EVENT_MODE) [production]',
      ]);
      // Spelled out explicitly it is refused the same way.
      expect(
        problemsOf({
          ...PROD_OK,
          DINGTALK_EVENT_MODE: mode,
          DINGTALK_CALLBACK_TOKEN: 'demo-callback-token',
        }),
      ).toHaveLength(1);
    }
    expect(
      problemsOf({
        ...PROD_OK,
        DINGTALK_APP_KEY: 'dingdemoappkey01',
        DINGTALK_CALLBACK_OWNER_KEY: 'dingdemoappkey01',
        STORAGE_DRIVER: 'oss',
        OSS_ENDPOINT: 'https://oss-cn-hangzhou.aliyuncs.com',
        OSS_BUCKET: 'b',
        OSS_ACCESS_KEY_ID: 'sandbox-access-key-id',
        OSS_ACCESS_KEY_SECRET: 'sandbox-access-key-secret',
        NOTIFY_GATEWAY_URL: 'https://gw.example.com',
        NOTIFY_GATEWAY_SECRET: 'demo-gateway-secret-change-me',
      }),
    ).toEqual([
      'DINGTALK_APP_KEY: is the demo app [production]',
      'DINGTALK_CALLBACK_OWNER_KEY: is the demo app or organisation [production]',
      'OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET: are the sandbox keys [production]',
      'NOTIFY_GATEWAY_SECRET: required with NOTIFY_GATEWAY_URL (not the demo secret) [production]',
    ]);
  });

  it('refuses production without a real speech-to-text endpoint and key; LLM needs an endpoint when on', () => {
    const { ASR_DASHSCOPE_URL: _u, ASR_DASHSCOPE_API_KEY: _k, ...noAsr } = PROD_OK;
    expect(problemsOf(noAsr)).toEqual([
      'ASR_DASHSCOPE_URL: required in production (it defaults to the sandbox) [production]',
      'ASR_DASHSCOPE_API_KEY: required in production [production]',
    ]);
    expect(
      problemsOf({
        ...PROD_OK,
        ASR_DASHSCOPE_URL: 'http://localhost:3900',
        ASR_DASHSCOPE_API_KEY: 'sk-sandbox-dashscope-0000',
      }),
    ).toEqual([
      'ASR_DASHSCOPE_URL: points at the sandbox (http://localhost:3900); set the real endpoint [production]',
      'ASR_DASHSCOPE_API_KEY: required in production [production]',
    ]);
    expect(
      problemsOf({ ...noAsr, ASR_PROVIDER: 'openai', ASR_OPENAI_URL: 'https://whisper.internal' }),
    ).toEqual([]);
    expect(problemsOf({ ...PROD_OK, LLM_ENABLED: 'true' })).toEqual([
      'LLM_URL: required when LLM_ENABLED [production]',
    ]);
  });

  it('accepts a complete production configuration', () => {
    const c = loadConfig(PROD_OK);
    expect(c.mode).toBe('production');
    expect(c.dingtalk.apiUrl).toBe('https://api.dingtalk.com');
    expect(c.dingtalk.robotCode).toBe('dingappkey');
  });
});
