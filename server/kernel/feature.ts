/**
 * What a feature declares to the process: its HTTP routes, its reactions to domain events, its
 * event consumers and scheduled jobs, its handlers of DingTalk's inbound events and Stream
 * callbacks. `server/features/index.ts` lists the features; `createRuntime` (server/runtime.ts)
 * assembles the registries from these declarations at start-up. A feature's `index.ts` exports
 * one of these plus the small public surface other features may import.
 */
import type { Deps } from './deps';
import type { InboundEventHandler } from './events/inbound';
import type { InTxReactions } from './events/registry';
import type { AppRouter } from './http/router';
import type { EventConsumer, JobDefinition, ProcessRole } from './jobs/registry';

/** A Stream-mode callback topic a feature answers (e.g. the robot's chat messages). */
export interface StreamCallback {
  topic: string;
  /** The role whose processes subscribe. */
  role: ProcessRole;
  /** Handles one frame's JSON data; the result is sent as the callback response. */
  handle(data: string, deps: Deps): unknown | Promise<unknown>;
}

/** A feature's declarations. */
export interface Feature {
  /** Folder name under server/features. */
  name: string;
  /** Its routers, built once per app (web role). */
  routes?(deps: Deps): AppRouter[];
  /** Its in-transaction reactions to domain events. */
  reactions?: InTxReactions;
  /** Its asynchronous event consumers. */
  consumers?: readonly EventConsumer[];
  /** Its scheduled jobs. */
  jobs?: readonly JobDefinition[];
  /** Its handlers of DingTalk's inbound events. */
  dingtalkEvents?: readonly InboundEventHandler[];
  /** Its Stream-mode callback topics. */
  streamCallbacks?: readonly StreamCallback[];
}
