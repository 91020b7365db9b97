/**
 * Loaded into each server process of `npm run bench -- load` (`node --import`) to tell where a
 * slow call's time goes, without changing the product:
 *  - every HTTP response carries `x-bench-server-ms`: ms from the request's headers parsed in
 *    the server to its response headers written (the handler, its DB round trips and pool
 *    waits). The bench subtracts it from what it measured: the rest is time before the server
 *    read the request (its event loop busy, the accept queue) or after (the bench's own loop).
 *  - the event loop's delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution): how long a
 *    ready callback waited for the loop, i.e. the synchronous chunks every request queues behind;
 *  - the time of each major/minor GC (PerformanceObserver 'gc'): pauses stop the loop too.
 *  - mysql2's tracing channels: the wait for a pooled connection (from asking to getting one:
 *    queueing behind a full pool, or opening a connection) and each query's round trip (the
 *    database's time, its locks and the network), both as histograms;
 *  - the process's own CPU (without its children: a worker's ffmpeg runs are not in it).
 * SIGUSR2 starts the measurement afresh (the bench sends it once the setup traffic is over).
 * Written as JSON to BENCH_PROBE_DIR/probe-<pid>.json when the process exits.
 */
import diagnostics from 'node:diagnostics_channel';
import fs from 'node:fs';
import path from 'node:path';
import { createHistogram, monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';

const dir = process.env.BENCH_PROBE_DIR;
const RESOLUTION_MS = 10;
const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
loop.enable();
const gc = { count: 0, totalMs: 0, maxMs: 0, over50: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gc.count++;
    gc.totalMs += e.duration;
    gc.maxMs = Math.max(gc.maxMs, e.duration);
    if (e.duration > 50) gc.over50++;
  }
}).observe({ entryTypes: ['gc'] });

diagnostics.channel('http.server.request.start').subscribe(({ response }) => {
  const t0 = performance.now();
  const writeHead = response.writeHead;
  response.writeHead = function (...args) {
    if (!this.headersSent) this.setHeader('x-bench-server-ms', (performance.now() - t0).toFixed(1));
    return writeHead.apply(this, args);
  };
});

/** Times each traced mysql2 operation from its start to its callback, into `h` (ns). */
function timeChannel(name, h) {
  const starts = new WeakMap();
  diagnostics.tracingChannel(name).subscribe({
    start: (ctx) => starts.set(ctx, process.hrtime.bigint()),
    asyncStart: (ctx) => {
      const t0 = starts.get(ctx);
      if (t0 !== undefined) h.record(Math.max(1, Number(process.hrtime.bigint() - t0)));
    },
    end() {},
    asyncEnd() {},
    error() {},
  });
}
const poolWait = createHistogram();
const queries = createHistogram();
timeChannel('mysql2:pool:connect', poolWait);
timeChannel('mysql2:query', queries);
timeChannel('mysql2:execute', queries);

let cpu0 = process.cpuUsage();
process.on('SIGUSR2', () => {
  loop.reset();
  poolWait.reset();
  queries.reset();
  Object.assign(gc, { count: 0, totalMs: 0, maxMs: 0, over50: 0 });
  cpu0 = process.cpuUsage();
});

// The histogram holds the intervals between the monitor's timer ticks: the delay is the excess.
const ms = (ns) => Math.max(0, Math.round(ns / 1e5 - RESOLUTION_MS * 10) / 10);
const raw = (ns) => Math.round(ns / 1e5) / 10;
process.on('exit', () => {
  if (!dir) return;
  const cpu = process.cpuUsage(cpu0);
  fs.writeFileSync(
    path.join(dir, `probe-${process.pid}.json`),
    JSON.stringify({
      pid: process.pid,
      roles: process.env.ROLES,
      loop_p50_ms: ms(loop.percentile(50)),
      loop_p99_ms: ms(loop.percentile(99)),
      loop_max_ms: ms(loop.max),
      pool_waits: poolWait.count,
      pool_wait_p50_ms: raw(poolWait.count && poolWait.percentile(50)),
      pool_wait_p99_ms: raw(poolWait.count && poolWait.percentile(99)),
      pool_wait_max_ms: raw(poolWait.count && poolWait.max),
      queries: queries.count,
      query_p50_ms: raw(queries.count && queries.percentile(50)),
      query_p99_ms: raw(queries.count && queries.percentile(99)),
      query_max_ms: raw(queries.count && queries.max),
      gc_count: gc.count,
      gc_total_ms: Math.round(gc.totalMs),
      gc_max_ms: Math.round(gc.maxMs),
      gc_over_50ms: gc.over50,
      own_cpu_s: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
    }),
  );
});
