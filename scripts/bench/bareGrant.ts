/**
 * The baseline of the grant burst (`npm run bench -- load --grants=N`): a bare Koa + mysql2
 * process answering `POST /api/interview/answers/:id/grant` with the product's own statements
 * in the same two round trips (BEGIN, the session row, the rate-limit hit, the answer's lock and
 * the joined read; then the answer's compare-and-swap, the attempt row and COMMIT) and the same
 * signed local-upload grant in its body, but none of the product's stack: no middleware, no
 * body parser, no validation library, no logger, no error mapping, no ORM. Its p99 and CPU per
 * grant, measured in the same run on the same candidates, say how much of the product's cost is
 * the work itself and how much is the stack around it. It decides only the usual case (an open
 * session, consent given, a served or started audio/video answer) and answers anything else
 * with an error, which the bench counts.
 *
 * Started by the bench as a child process: `node [npm start's flags] --import tsx
 * scripts/bench/bareGrant.ts` with MYSQL_URL (the bench's database), PORT, POOL, SESSION_SECRET
 * and GRANTS_PER_MINUTE.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { jwtVerify } from 'jose';
import Koa from 'koa';
import mysql from 'mysql2';
import { READ_BY_APPLICATION } from '../../server/features/interview/grantLean';
import { RECORDING_TYPES } from '../../server/features/interview/recordingTypes';

const secret = process.env.SESSION_SECRET as string;
const limit = Number(process.env.GRANTS_PER_MINUTE ?? 30);
const pool = mysql.createPool({
  uri: process.env.MYSQL_URL,
  connectionLimit: Number(process.env.POOL ?? 10),
  timezone: 'Z',
  dateStrings: true,
  multipleStatements: true,
});
const jwtKey = new TextEncoder().encode(secret);
const uploadKey = createHmac('sha256', secret).update('aii-storage:upload').digest();
const claimsOf = new Map<string, { id: number; job: number; gen: number; exp: number }>();
const TYPES: Record<string, string> = RECORDING_TYPES;
const MAX_BYTES = 200 * 1024 * 1024;

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

function query(conn: mysql.PoolConnection, sql: string, params: unknown[]): Promise<any> {
  return new Promise((resolve, reject) =>
    conn.query(sql, params, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

const mysqlTime = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');

async function claims(authorization: string | undefined) {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
  let c = claimsOf.get(token);
  if (!c) {
    const { payload } = await jwtVerify(token, jwtKey, {
      issuer: 'ai-interviews',
      algorithms: ['HS256'],
    }).catch(() => {
      throw new Refused(401, 'session_invalid');
    });
    if (payload.k !== 'candidate' || typeof payload.inv !== 'number')
      throw new Refused(401, 'session_invalid');
    c = {
      id: Number(payload.sub),
      job: payload.inv,
      gen: Number(payload.gen ?? 0),
      exp: Number(payload.exp),
    };
    claimsOf.set(token, c);
  }
  if (Date.now() / 1000 >= c.exp) throw new Refused(401, 'session_expired');
  return c;
}

function body(req: Koa.Request['req']): Promise<{ contentType?: unknown; bytes?: unknown }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new Refused(400, 'bad_json'));
      }
    });
    req.on('error', reject);
  });
}

async function grant(answerId: number, ctx: Koa.Context) {
  const who = await claims(ctx.get('authorization'));
  const input = await body(ctx.req);
  const ct = String(input.contentType ?? '').toLowerCase();
  const ext = TYPES[ct];
  const bytes = Number(input.bytes);
  if (!ext || !(bytes >= 1024 && bytes <= MAX_BYTES)) throw new Refused(400, 'bad_grant');
  const now = Date.now();
  const windowStart = Math.floor(now / 60_000) * 60_000;
  const conn = await new Promise<mysql.PoolConnection>((resolve, reject) =>
    pool.getConnection((err, c) => (err ? reject(err) : resolve(c))),
  );
  try {
    const [, sessions, hit, locked, rows] = await query(
      conn,
      `begin;
       select id, session_generation from candidates where id = ?;
       insert into rate_limit_buckets (bucket, window_start, hits, expires_at) values (?, ?, 1, ?)
         on duplicate key update hits = last_insert_id(hits + 1);
       select version from interview_answers where id = ? for update;
       ${READ_BY_APPLICATION.invitation}`,
      [
        who.id,
        `upload_grant:candidate:${who.id}`,
        mysqlTime(windowStart),
        mysqlTime(windowStart + 60_000),
        answerId,
        answerId,
        who.id,
        who.job,
      ],
    );
    if (Number(sessions[0]?.session_generation) !== who.gen) throw new Refused(401, 'session_revoked');
    if ((hit.affectedRows === 1 ? 1 : hit.insertId) > limit) throw new Refused(429, 'rate_limited');
    const r = rows[0];
    if (
      !r ||
      Number(locked[0]?.version) !== Number(r.version) ||
      r.session_status !== 'open' ||
      r.consent_action !== 'grant' ||
      !['served', 'retake', 'answering'].includes(r.state)
    )
      throw new Refused(409, 'not_the_usual_case');
    const number = Number(r.attempts) + 1;
    const key = `interviews/${r.session_id}/${r.question_id}/${number}-${randomBytes(6).toString('hex')}.${ext}`;
    const at = mysqlTime(now);
    // COMMIT rides with the writes, as in the product: the lock taken above rules out a lost swap.
    const [answer] = await query(
      conn,
      `update interview_answers set state = 'answering', window_started_at = ?, retakes_used = ?, late = ?,
          attempts = ?, version = version + 1, updated_at = ? where id = ? and version = ?;
       insert into interview_attempts (answer_id, number, object_key, content_type, kind, status, granted_at, late)
         values (?, ?, ?, ?, ?, 'granted', ?, 0);
       commit`,
      [
        r.window_started_at ?? at,
        r.retakes_used,
        r.late,
        number,
        at,
        r.id,
        r.version,
        r.id,
        number,
        key,
        ct,
        ct.startsWith('audio/') ? 'audio' : 'video',
        at,
      ],
    );
    if (answer.affectedRows !== 1) throw new Refused(409, 'answer_changed');
    const expiresAt = new Date(now + 15 * 60_000);
    const payload = Buffer.from(
      JSON.stringify({
        use: 'upload',
        key,
        ct,
        min: 1024,
        max: MAX_BYTES,
        exp: Math.floor(expiresAt.getTime() / 1000),
      }),
    ).toString('base64url');
    const mac = createHmac('sha256', uploadKey).update(payload).digest('base64url');
    return {
      grant: {
        mode: 'local',
        attempt: number,
        key,
        url: `/api/uploads/${payload}.${mac}`,
        contentType: ct,
        minBytes: 1024,
        maxBytes: MAX_BYTES,
        expiresAt: expiresAt.toISOString(),
        chunkBytes: 4 * 1024 * 1024,
      },
    };
  } catch (err) {
    await query(conn, 'rollback', []).catch(() => undefined);
    throw err;
  } finally {
    conn.release();
  }
}

const app = new Koa();
app.use(async (ctx) => {
  const m = /^\/api\/interview\/answers\/(\d+)\/grant$/.exec(ctx.path);
  if (ctx.method === 'POST' && m) {
    try {
      ctx.body = await grant(Number(m[1]), ctx);
      ctx.status = 201;
    } catch (err) {
      ctx.status = err instanceof Refused ? err.status : 500;
      ctx.body = { error: { code: err instanceof Refused ? err.code : 'internal' } };
    }
    return;
  }
  if (ctx.path === '/healthz') ctx.body = { ok: true };
});
app.listen(Number(process.env.PORT), '127.0.0.1');
// Exits (not killed) on the bench's SIGTERM, so a `--cpu-prof` among the server flags writes its profile.
process.on('SIGTERM', () => process.exit(0));
