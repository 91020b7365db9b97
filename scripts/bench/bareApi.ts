/**
 * The baseline of `npm run bench -- api`: a bare Koa + mysql2 process serving the HR pipeline
 * board (`GET /api/pipeline/jobs/:id`) with hand-written SQL and hand-built JSON, no ORM, no
 * auth, no middleware. The bench checks that its body is byte-identical to the product's before
 * timing either, so the two serve exactly the same data.
 *
 * Started by the bench as a child process: `node --import tsx scripts/bench/bareApi.ts` with
 * MYSQL_URL (the bench's database), PORT and POOL.
 */
import Koa from 'koa';
import mysql from 'mysql2/promise';
import { STAGES } from '../../shared/stages';

const pool = mysql.createPool({
  uri: process.env.MYSQL_URL,
  connectionLimit: Number(process.env.POOL ?? 20),
  timezone: 'Z',
  dateStrings: false,
});

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

async function board(jobId: number, q: URLSearchParams) {
  const limit = Math.min(200, Math.max(1, Number(q.get('limit') ?? 50)));
  const offset = Math.max(0, Number(q.get('offset') ?? 0));
  const stage = q.get('stage');
  const [jobs] = await pool.query<mysql.RowDataPacket[]>('select id, title from jobs where id = ?', [jobId]);
  if (!jobs.length) return null;
  const [countRows] = await pool.query<mysql.RowDataPacket[]>(
    'select stage, count(*) as n from applications where job_id = ? group by stage',
    [jobId],
  );
  const counts: Record<string, number> = Object.fromEntries(STAGES.map((s) => [s, 0]));
  for (const r of countRows) counts[r.stage] = Number(r.n);
  const [apps] = await pool.query<mysql.RowDataPacket[]>(
    `select a.id, a.candidate_id, c.name, a.job_id, a.stage, a.version, a.stage_changed_at, a.person_only
       from applications a join candidates c on c.id = a.candidate_id
      where a.job_id = ?${stage ? ' and a.stage = ?' : ''}
      order by a.stage_changed_at desc, a.id desc limit ? offset ?`,
    stage ? [jobId, stage, limit + 1, offset] : [jobId, limit + 1, offset],
  );
  const page = apps.slice(0, limit);
  const ids = page.map((a) => a.id);
  const reviews = new Map<number, mysql.RowDataPacket>();
  const approvals = new Map<number, mysql.RowDataPacket>();
  if (ids.length) {
    const [rv] = await pool.query<mysql.RowDataPacket[]>(
      'select application_id, overall, suggestion, reason from application_reviews where application_id in (?)',
      [ids],
    );
    for (const r of rv) reviews.set(r.application_id, r);
    const [ap] = await pool.query<mysql.RowDataPacket[]>(
      'select application_id, kind, status from approvals where application_id in (?) and active_key is not null order by id',
      [ids],
    );
    for (const r of ap) if (!approvals.has(r.application_id)) approvals.set(r.application_id, r);
  }
  return {
    job: { id: jobs[0].id, title: jobs[0].title },
    counts,
    items: page.map((a) => {
      const r = reviews.get(a.id);
      const o = approvals.get(a.id);
      return {
        id: a.id,
        candidateId: a.candidate_id,
        candidateName: a.name,
        jobId: a.job_id,
        stage: a.stage,
        version: a.version,
        stageChangedAt: iso(a.stage_changed_at),
        personOnly: Boolean(a.person_only),
        overall: r?.overall ?? null,
        suggestion: r?.suggestion ?? null,
        suggestionReason: r?.reason ?? null,
        openApproval: o ? { kind: o.kind, status: o.status } : null,
      };
    }),
    nextOffset: apps.length > limit ? offset + limit : null,
  };
}

const app = new Koa();
app.use(async (ctx) => {
  const m = /^\/api\/pipeline\/jobs\/(\d+)$/.exec(ctx.path);
  if (ctx.method === 'GET' && m) {
    const body = await board(Number(m[1]), new URLSearchParams(ctx.querystring));
    if (body) ctx.body = body;
    return;
  }
  if (ctx.path === '/healthz') ctx.body = { ok: true };
});
app.listen(Number(process.env.PORT), '127.0.0.1');
