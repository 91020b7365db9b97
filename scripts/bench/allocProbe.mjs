/**
 * Bytes allocated per request in a web process, by call site: loaded into the server a bench
 * starts, e.g.
 *
 *   ALLOC_MATCH='/grant$' ALLOC_N=200 ALLOC_OUT=/tmp/grant.json \
 *     npm run bench -- load --candidates=0 --grants=200 \
 *     --server-flags=--experimental-async-context-frame,--import=./scripts/bench/allocProbe.mjs
 *
 * Counts the requests whose URL matches ALLOC_MATCH (a regular expression). From the start of
 * request ALLOC_SKIP + 1 (warm-up left out) to the finish of the ALLOC_N-th response after it,
 * V8's sampling heap profiler runs with the objects that minor and major GCs already collected
 * kept in its profile, so the sum is everything allocated on the JS heap in the window, garbage
 * included (sampled every 2 KB and scaled by V8, so deterministic to about a per cent over a few
 * hundred requests). Requests in flight at the window's edges count too: with N in the hundreds
 * and tens of connections the edge is a few per cent. Writes ALLOC_OUT (bytes per request, GCs
 * in the window, the top call sites per request) and ALLOC_OUT.heapprofile (for DevTools).
 * A measuring aid only: never loaded by `npm start`.
 */
import fs from 'node:fs';
import http from 'node:http';
import inspector from 'node:inspector';
import { PerformanceObserver } from 'node:perf_hooks';

const match = new RegExp(process.env.ALLOC_MATCH ?? '.');
const skip = Number(process.env.ALLOC_SKIP ?? 0);
const n = Number(process.env.ALLOC_N ?? 100);
const out = process.env.ALLOC_OUT ?? 'alloc.json';
const session = new inspector.Session();
session.connect();

let seen = 0;
let done = 0;
let on = false;
const gcs = { minor: 0, major: 0, ms: 0 };
new PerformanceObserver((list) => {
  if (!on) return;
  for (const e of list.getEntries()) {
    // kind 1 is a scavenge (minor GC); everything else counts as major.
    if (e.detail?.kind === 1) gcs.minor++;
    else gcs.major++;
    gcs.ms += e.duration;
  }
}).observe({ entryTypes: ['gc'] });

/** `function file:line` with node_modules and the build directory shortened. */
function site(f) {
  const url = f.url.replace(/.*node_modules\//, 'nm/').replace(/.*\/build\//, 'build/');
  return `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`;
}

function stop() {
  session.post('HeapProfiler.stopSampling', (err, r) => {
    on = false;
    if (err) throw err;
    const sites = new Map();
    let total = 0;
    const walk = (node) => {
      total += node.selfSize;
      if (node.selfSize)
        sites.set(site(node.callFrame), (sites.get(site(node.callFrame)) ?? 0) + node.selfSize);
      for (const c of node.children) walk(c);
    };
    walk(r.profile.head);
    const top = [...sites]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 80)
      .map(([k, v]) => [k, Math.round(v / n)]);
    fs.writeFileSync(
      out,
      JSON.stringify({ requests: n, bytesPerRequest: Math.round(total / n), gcs, top }, null, 1),
    );
    fs.writeFileSync(`${out}.heapprofile`, JSON.stringify(r.profile));
  });
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res) {
  if (event === 'request' && match.test(req.url)) {
    seen++;
    if (seen === skip + 1) {
      on = true;
      session.post('HeapProfiler.startSampling', {
        samplingInterval: 2048,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    }
    if (seen > skip && seen <= skip + n)
      res.once('finish', () => {
        if (++done === n) stop();
      });
  }
  // biome-ignore lint/complexity/noArguments: passes every argument of any event through unchanged
  return emit.apply(this, arguments);
};
