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
 *  - the process's own CPU (without its children: a worker's ffmpeg runs are not in it).
 * SIGUSR2 starts the measurement afresh (the bench sends it once the setup traffic is over).
 * Written as JSON to BENCH_PROBE_DIR/probe-<pid>.json when the process exits.
 */
import diagnostics from 'node:diagnostics_channel';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';

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

let cpu0 = process.cpuUsage();
process.on('SIGUSR2', () => {
  loop.reset();
  Object.assign(gc, { count: 0, totalMs: 0, maxMs: 0, over50: 0 });
  cpu0 = process.cpuUsage();
});

// The histogram holds the intervals between the monitor's timer ticks: the delay is the excess.
const ms = (ns) => Math.max(0, Math.round(ns / 1e5) / 10 - RESOLUTION_MS);
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
      gc_count: gc.count,
      gc_total_ms: Math.round(gc.totalMs),
      gc_max_ms: Math.round(gc.maxMs),
      gc_over_50ms: gc.over50,
      own_cpu_s: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
    }),
  );
});
