import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { Candidate } from '../db/entities/Candidate';
import { write } from '../db/tx';
import { candidateSession } from './auth';
import { issueSessionToken } from './tokens';

describeEachDialect('requireAuth: the candidate read in plain SQL on every request', (dialect) => {
  let t: TestApp;
  let id: number;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
    const em = t.orm.em.fork();
    const c = em.create(Candidate, { name: 'Lena Fischer', locale: 'en' });
    await em.flush();
    id = c.id;
    ({ token } = await issueSessionToken(
      t.config.session.secret,
      { kind: 'candidate', id, invitationJobId: null, generation: 0 },
      30,
    ));
  }, 60_000);
  afterAll(async () => t?.close());

  const me = () => t.api('GET', '/api/me', { token });

  it('reads the session columns of the row (and null for a missing one)', async () => {
    expect(await candidateSession(t.orm.em, id)).toEqual({
      id,
      name: 'Lena Fischer',
      locale: 'en',
      sessionGeneration: 0,
    });
    expect(await candidateSession(t.orm.em, id + 1000)).toBeNull();
  });

  it('serves /api/me from the row as it is now, not as it was at sign-in', async () => {
    const first = await me();
    expect(first.status).toBe(200);
    expect(first.body.me).toMatchObject({ id, kind: 'candidate', name: 'Lena Fischer', locale: 'en' });
    await write(t.orm.em, 'update candidates set name = ?, locale = ? where id = ?', [
      'Lena F.',
      'zh-CN',
      id,
    ]);
    const second = await me();
    expect(second.body.me).toMatchObject({ name: 'Lena F.', locale: 'zh-CN' });
  });

  it('a bumped session generation ends the session on its next request; a new token works', async () => {
    await write(t.orm.em, 'update candidates set session_generation = session_generation + 1 where id = ?', [
      id,
    ]);
    const ended = await me();
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe('session_revoked');
    const fresh = await issueSessionToken(
      t.config.session.secret,
      { kind: 'candidate', id, invitationJobId: null, generation: 1 },
      30,
    );
    expect((await t.api('GET', '/api/me', { token: fresh.token })).status).toBe(200);
    token = fresh.token;
  });

  it('a deleted candidate is refused on the next request', async () => {
    expect((await me()).status).toBe(200);
    await write(t.orm.em, 'delete from candidates where id = ?', [id]);
    const gone = await me();
    expect(gone.status).toBe(401);
    expect(gone.body.error.code).toBe('session_invalid');
  });
});
