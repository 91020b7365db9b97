/**
 * Runs several {@link ./workerProcess.ts} processes against one database and sandbox,
 * and seeds due message rows in bulk: the tools of the exactly-once test and the benchmark.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { OutboxMessage } from '../kernel/db/entities/OutboxMessage';
import type { Em } from '../kernel/db/orm';

const HERE = path.dirname(new URL(import.meta.url).pathname);

/** A running worker process. */
export interface WorkerProc {
  id: string;
  child: ChildProcess;
  /** Resolves when the process exited. */
  exited: Promise<number | null>;
  /** Rows this process reported claimed/sent so far (from its stdout lines). */
  counts: { claimed: number; sent: number };
}

/** Starts `n` worker processes with `env` (DATABASE_URL, SANDBOX_URL, DELIVERY_*), resolved when all are ready. */
export async function startWorkers(n: number, env: Record<string, string>): Promise<WorkerProc[]> {
  const procs: WorkerProc[] = [];
  for (let i = 0; i < n; i++) {
    const id = `worker-${i + 1}`;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'workerProcess.ts')], {
      env: { ...process.env, ...env, WORKER_ID: id },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const counts = { claimed: 0, sent: 0 };
    let ready: () => void = () => {};
    const readyP = new Promise<void>((r) => {
      ready = r;
    });
    let buf = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
        try {
          const j = JSON.parse(line) as { ready?: string; claimed?: number; sent?: number };
          if (j.ready) ready();
          counts.claimed += j.claimed ?? 0;
          counts.sent += j.sent ?? 0;
        } catch {
          /* not ours */
        }
      }
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    procs.push({ id, child, exited, counts });
    await Promise.race([
      readyP,
      exited.then(() => Promise.reject(new Error(`${id} exited before it was ready`))),
    ]);
  }
  return procs;
}

/** Stops workers gracefully (SIGTERM) and waits for them. */
export async function stopWorkers(procs: WorkerProc[]): Promise<void> {
  for (const p of procs) if (p.child.exitCode === null && !p.child.killed) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
}

/**
 * Inserts `count` robot 1:1 message rows in bulk, due at `dueAt(i)`, each text carrying a
 * unique marker `#<i>` so the sandbox's received messages can be counted per row.
 */
export async function seedMessages(
  em: Em,
  count: number,
  opts: { prefix: string; userIds: string[]; dueAt: (i: number) => Date; chunk?: number },
): Promise<void> {
  const chunk = opts.chunk ?? 2000;
  for (let start = 0; start < count; start += chunk) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      rows.push({
        idempotencyKey: `${opts.prefix}:${i}`,
        topic: 'reminder.bench',
        aggregate: `${opts.prefix}:${i}`,
        recipientKind: 'employee' as const,
        recipientId: opts.userIds[i % opts.userIds.length],
        channel: 'robot_oto',
        payload: { message: { title: '提醒', text: `#${i}#`, buttons: [] } },
        dueAt: opts.dueAt(i),
        status: 'pending' as const,
        attempts: 0,
        createdAt: new Date(),
      });
    }
    await em.fork().insertMany(OutboxMessage, rows);
  }
}
