/**
 * The sandbox: one local HTTP server that answers like DingTalk's two API hosts
 * (`api.dingtalk.com` and `oapi.dingtalk.com`) and its OAuth2 login page, as described in
 * ../shared/dingtalk-reference.md, plus a console for people and tests. The product reaches it
 * through its real clients pointed here by configuration.
 *
 * Honesty rule: the sandbox imitates services; it never does the product's work.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import type { ConsoleTab, SandboxContext, SandboxModule } from './context';
import { NEW_API, OLD_API, sendNewApiError, sendOldApiError } from './errors';
import { addressBookModule } from './modules/addressBook';
import { atsModule } from './modules/ats';
import { calendarModule } from './modules/calendar';
import { consoleModule, isConsolePath } from './modules/console';
import { contactModule } from './modules/contact';
import { dashscopeModule } from './modules/dashscope';
import { hrmModule } from './modules/hrm';
import { identityModule } from './modules/identity';
import { llmModule } from './modules/llm';
import { oauthModule } from './modules/oauth';
import { ossModule } from './modules/oss';
import { robotModule } from './modules/robot';
import { closeStreams, handleStreamUpgrade, streamModule } from './modules/stream';
import { tokensModule } from './modules/tokens';
import { workflowModule } from './modules/workflow';
import { DEFAULT_ORG, type SandboxOrg } from './org';
import { SandboxState } from './state';

/** Modules in registration order. Later issues add workflow, robot messages, calendar, OSS, ASR. */
// OSS first: its catch-all route passes every non-OSS request on untouched.
const MODULES: SandboxModule[] = [
  ossModule,
  consoleModule,
  tokensModule,
  identityModule,
  oauthModule,
  contactModule,
  addressBookModule,
  calendarModule,
  robotModule,
  dashscopeModule,
  llmModule,
  streamModule,
  workflowModule,
  hrmModule,
  atsModule,
];

/** Options for {@link startSandbox}. */
export interface SandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** The mini-app's public URL; the console's "open as" buttons navigate there. */
  appUrl: string;
  /** Replaces parts of the demo organisation (tests). */
  org?: Partial<SandboxOrg>;
  /** Calls allowed per app, per API, per second; default 20 (DingTalk's standard orgs). */
  qpsLimit?: number;
  /** Clock in ms; inject one in tests to expire codes and tokens without waiting. */
  now?: () => number;
}

/** A running sandbox. */
export interface Sandbox {
  /** Base URL, `http://localhost:PORT`: both DingTalk hosts, the login page and the console. */
  url: string;
  port: number;
  state: SandboxState;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

/** Starts a sandbox and resolves once it is listening. */
export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const state = new SandboxState({
    org: { ...DEFAULT_ORG, ...opts.org },
    now: opts.now ?? Date.now,
    qpsLimit: opts.qpsLimit ?? 20,
  });
  const app = createApp(state, opts.appUrl.replace(/\/+$/, ''));
  const server = createServer(app.callback());
  // Stream mode WebSocket (modules/stream.ts): DingTalk's event gateway lives on the same host here.
  server.on('upgrade', (req, socket, head) => handleStreamUpgrade(state, req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    port,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closeStreams(state);
        server.close((err) => (err ? reject(err) : resolve()));
        // The SDKs keep connections alive; without this close() would wait for their timeout.
        server.closeAllConnections();
      }),
  };
}

function createApp(state: SandboxState, appUrl: string): Koa {
  const app = new Koa();
  const router = new Router();
  const consoleTabs: ConsoleTab[] = [];
  const sb: SandboxContext = { router, state, appUrl, consoleTabs };
  for (const register of MODULES) register(sb);

  app.use(async (ctx, next) => {
    // Record DingTalk-side traffic so tests can count calls (e.g. token fetches); the console's own
    // requests and avatar images (a CDN in real life) would only be noise.
    if (isConsolePath(ctx.path) || ctx.path.startsWith('/avatars/')) return next();
    const call = { method: ctx.method, path: ctx.path, at: state.now(), status: 0 };
    state.calls.push(call);
    try {
      await next();
    } finally {
      call.status = ctx.status;
    }
  });
  app.use(async (ctx, next) => {
    // Whatever goes wrong (e.g. a body that is not JSON), API callers get DingTalk's error shape.
    try {
      await next();
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      if (ctx.path.startsWith('/v1.0/')) {
        return sendNewApiError(ctx, status < 500 ? NEW_API.badRequest : NEW_API.internal);
      }
      if (ctx.path.startsWith('/topapi/')) return sendOldApiError(ctx, OLD_API.busy);
      throw err;
    }
  });
  app.use(bodyParser({ enableTypes: ['json', 'form'] }));
  app.use(router.routes());
  app.use((ctx) => {
    // No route matched: answer like each gateway does for an unknown API.
    if (ctx.path.startsWith('/v1.0/')) return sendNewApiError(ctx, NEW_API.notFound);
    if (ctx.path.startsWith('/topapi/')) return sendOldApiError(ctx, OLD_API.invalidMethod);
  });
  return app;
}
