import { wrap } from '@mikro-orm/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeDepartment, makeEmployee } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { Candidate } from '../db/entities/Candidate';
import { type IUser, User } from '../db/entities/User';
import { write } from '../db/tx';
import { candidateSession, employeeOf } from './auth';
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

describeEachDialect('requireAuth: the employee read in plain SQL, mapped to the same entity', (dialect) => {
  let t: TestApp;
  let id: number;
  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
    const em = t.orm.em.fork();
    const managed = await makeDepartment(em);
    const u = await makeEmployee(em, 'hr', { roles: ['hr', 'interviewer'], active: false, locale: 'en' });
    u.managedDepartment = managed;
    u.lastSignInAt = new Date('2026-12-01T08:30:00Z');
    u.sessionGeneration = 3;
    await em.flush();
    id = u.id;
  }, 60_000);
  afterAll(async () => t?.close());

  it('gives what findOne gives, typed (booleans, dates, JSON, references), or null', async () => {
    const mapped = await employeeOf(t.orm.em.fork(), id);
    const found = await t.orm.em.fork().findOneOrFail(User, { id });
    expect(mapped).not.toBeNull();
    expect(wrap(mapped as IUser).toObject()).toEqual(wrap(found).toObject());
    expect(mapped?.active).toBe(false);
    expect(mapped?.roles).toEqual(['hr', 'interviewer']);
    expect(mapped?.lastSignInAt).toEqual(new Date('2026-12-01T08:30:00Z'));
    expect(mapped?.managedDepartment?.id).toBe(found.managedDepartment?.id);
    expect(mapped?.sessionGeneration).toBe(3);
    expect(await employeeOf(t.orm.em.fork(), id + 1000)).toBeNull();
  });

  it('is managed by the given EntityManager: unchanged it writes nothing, a change is flushed', async () => {
    const em = t.orm.em.fork();
    const user = (await employeeOf(em, id)) as IUser;
    expect(em.getUnitOfWork().getById(User, id)).toBe(user);
    em.getUnitOfWork().computeChangeSets();
    expect(em.getUnitOfWork().getChangeSets()).toHaveLength(0);
    user.name = 'Renamed';
    await em.flush();
    expect((await t.orm.em.fork().findOneOrFail(User, { id })).name).toBe('Renamed');
  });

  it('a User the EntityManager already holds is the one given (as findOne would), not overwritten', async () => {
    const em = t.orm.em.fork();
    const loaded = await em.findOneOrFail(User, { id });
    loaded.title = 'changed, not flushed';
    const given = await employeeOf(em, id);
    expect(given).toBe(loaded);
    expect(given?.title).toBe('changed, not flushed');
  });

  it('an inactive employee or an older session generation is refused', async () => {
    const tokenFor = async (generation: number) =>
      (
        await issueSessionToken(
          t.config.session.secret,
          { kind: 'employee', id, invitationJobId: null, generation },
          30,
        )
      ).token;
    const inactive = await t.api('GET', '/api/me', { token: await tokenFor(3) });
    expect(inactive.status).toBe(401);
    expect(inactive.body.error.code).toBe('session_invalid');
    await write(t.orm.em, 'update users set active = ? where id = ?', [true, id]);
    const ok = await t.api('GET', '/api/me', { token: await tokenFor(3) });
    expect(ok.status).toBe(200);
    expect(ok.body.me).toMatchObject({ id, kind: 'employee', locale: 'en' });
    const old = await t.api('GET', '/api/me', { token: await tokenFor(2) });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('session_revoked');
  });
});
