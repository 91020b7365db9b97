/**
 * `npm run bench -- <name> [options]`: runs one benchmark from scripts/bench/<name>.ts, which
 * prints a JSON line and a table. Results go into BENCHMARKS.md with the machine and date.
 * Each benchmark measures its own baseline in the same run (these machines are noisy).
 */
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const name = process.argv[2];
const available = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['index.ts', 'report.ts'].includes(f) && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|') || 'name'}> [options]`);
  process.exit(2);
}
const mod = (await import(path.join(here, `${name}.ts`))) as { run(args: string[]): Promise<void> };
await mod.run(process.argv.slice(3));
