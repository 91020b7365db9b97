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
