import fs from 'node:fs';
import os from 'node:os';

/** Percentile of a sorted or unsorted sample (nearest-rank). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** The machine a result was measured on (for BENCHMARKS.md). */
export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
  };
}

/** Prints a benchmark result as one JSON line and as a table. */
export function report(
  name: string,
  rows: Array<Record<string, string | number | boolean>>,
  extra: Record<string, unknown> = {},
): void {
  const result = { bench: name, machine: machine(), ...extra, rows };
  console.log(JSON.stringify(result));
  console.table(rows);
}

/** A numeric `--name=value` option of a benchmark, or `def`. */
export function arg(args: string[], name: string, def: number): number {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}

/** Resident memory of a process in bytes (0 once it has gone). */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Waits until `url` answers below 500 (a server process has started), up to a minute. */
export async function waitUp(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not start`);
}
