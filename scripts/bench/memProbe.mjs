/**
 * Where a web process's memory is, sampled from inside it: loaded into the server a bench
 * starts, e.g.
 *
 *   MEM_OUT=/tmp/mem.json npm run bench -- api \
 *     --server-flags=--experimental-async-context-frame,--import=./scripts/bench/memProbe.mjs
 *
 * Every MEM_EVERY_MS (default 100) it reads `process.memoryUsage()`, V8's heap spaces
 * (`v8.getHeapSpaceStatistics()`: reserved and used bytes of new, old, code, large-object and
 * the other spaces) and `/proc/self/smaps_rollup` (anonymous against file-backed resident
 * pages), and counts GCs by kind. It writes MEM_OUT (JSON) every second and at exit: the sample
 * at the highest RSS seen, the highest value of each field on its own, the first sample, and
 * the GC counts, all in MB. A measuring aid only: never loaded by `npm start`.
 */
import fs from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

const out = process.env.MEM_OUT ?? 'mem.json';
const every = Number(process.env.MEM_EVERY_MS ?? 100);
const MB = 1024 * 1024;
const round = (n) => Math.round((n / MB) * 10) / 10;

/**
 * Resident anonymous memory by mapping size: V8 commits its heap in 256 KB pages (each its own
 * mapping between reserved gaps), so `v8pages` minus `heapTotal` is what V8 holds resident
 * outside its spaces' accounting (pooled free pages); the rest of the anonymous memory is
 * malloc (main arena, threads' arenas), thread stacks and large objects.
 */
function anonByMapping() {
  try {
    const text = fs.readFileSync('/proc/self/smaps', 'utf8');
    let size = 0;
    let anon = false;
    let v8pages = 0;
    let other = 0;
    for (const line of text.split('\n')) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
      if (m) {
        size = Number.parseInt(m[2], 16) - Number.parseInt(m[1], 16);
        anon = m[3] === '' || m[3] === '[heap]';
        continue;
      }
      const r = anon && /^Rss:\s+(\d+) kB/.exec(line);
      if (r) {
        if (size === 256 * 1024) v8pages += Number(r[1]) * 1024;
        else other += Number(r[1]) * 1024;
      }
    }
    return { v8pages: round(v8pages), anonOther: round(other) };
  } catch {
    return {};
  }
}

function rollup() {
  try {
    const text = fs.readFileSync('/proc/self/smaps_rollup', 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    const rss = kb('Rss');
    const anon = kb('Anonymous');
    return { anon: round(anon), file: round(rss - anon) };
  } catch {
    return {};
  }
}

let withMappings = true;
function sample() {
  const m = process.memoryUsage();
  const s = {
    t: Math.round(process.uptime() * 10) / 10,
    rss: round(m.rss),
    heapTotal: round(m.heapTotal),
    heapUsed: round(m.heapUsed),
    external: round(m.external),
    arrayBuffers: round(m.arrayBuffers),
    ...rollup(),
    ...(withMappings ? anonByMapping() : {}),
  };
  for (const sp of v8.getHeapSpaceStatistics()) {
    const name = sp.space_name.replace(/_space$/, '');
    s[`${name}.size`] = round(sp.space_size);
    s[`${name}.used`] = round(sp.space_used_size);
  }
  // Outside V8's heap and Node's tracked buffers: the binary's pages, malloc (driver and HTTP
  // parser state, TLS, zlib), thread stacks.
  s.other = Math.round((s.rss - s.heapTotal - s.external) * 10) / 10;
  return s;
}

const gcs = { minor: 0, major: 0, ms: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    // kind 1 is a scavenge (minor GC); everything else counts as major.
    if (e.detail?.kind === 1) gcs.minor++;
    else gcs.major++;
    gcs.ms += e.duration;
  }
}).observe({ entryTypes: ['gc'] });

const first = sample();
let atPeak = first;
const max = { ...first };
let samples = 0;
let mappedPeak = null;
/** Once a second: [t, rss, heapTotal, new.size, old.size, old.used, v8pages, anonOther, external, file]. */
const series = [];

let tick = 0;
const timer = setInterval(() => {
  // smaps lists every mapping (hundreds): read it once a second, not on every sample.
  withMappings = ++tick % Math.max(1, Math.round(1000 / every)) === 0;
  const s = sample();
  samples++;
  if (s.rss > atPeak.rss) atPeak = s;
  if (withMappings) {
    if (!mappedPeak || s.rss > mappedPeak.rss) mappedPeak = s;
    series.push([
      s.t,
      s.rss,
      s.heapTotal,
      s['new.size'],
      s['old.size'],
      s['old.used'],
      s.v8pages,
      s.anonOther,
      s.external,
      s.file,
    ]);
  }
  for (const [k, v] of Object.entries(s)) if (typeof v === 'number' && v > (max[k] ?? -1)) max[k] = v;
}, every);
timer.unref();

function write() {
  fs.writeFileSync(
    out,
    JSON.stringify(
      {
        pid: process.pid,
        samples,
        gcs: { ...gcs, ms: Math.round(gcs.ms) },
        first,
        atPeak,
        mappedPeak,
        max,
        now: sample(),
        series: series.map((r) => r.join(' ')),
      },
      null,
      1,
    ),
  );
}
const flush = setInterval(write, 1000);
flush.unref();
process.on('exit', write);
