import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { sweepInvitations } from './sweeps';

describeEachDialect('invitation sweep', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());

  /** Makes the database itself refuse one outbox key (a trigger), as a deadlock victim would. */
  async function refuseKey(key: string, message: string) {
    const conn = t.orm.em.fork().getConnection();
    if (dialect === 'sqlite')
      await conn.execute(
        `create trigger refuse_one before insert on outbox when new.idempotency_key like '${key}%'
         begin select raise(abort, '${message}'); end`,
      );
    else
      await conn.execute(
        `create trigger refuse_one before insert on outbox for each row
         if new.idempotency_key like '${key}%' then
           signal sqlstate '45000' set message_text = '${message}';
         end if`,
      );
    return () => conn.execute('drop trigger refuse_one');
  }

  it('one invitation that fails does not stop the others; the sweep reports it, and the next sweep sends it', async () => {
    const em = t.orm.em.fork();
    const now = new Date();
    const apps = await em.find(
      Application,
      { stage: { $in: ['invited', 'booked', 'interviewing'] } },
      { populate: ['job', 'candidate'], orderBy: { id: 'asc' }, limit: 3 },
    );
    expect(apps.length).toBe(3);
    await em.nativeUpdate(
      Invitation,
      { candidate: { $in: apps.map((a) => a.candidate.id) } },
      { revokedAt: now },
    );
    const invs = apps.map((a) =>
      em.create(Invitation, {
        candidate: a.candidate,
        job: a.job,
        expiresAt: new Date(now.getTime() + 5 * 24 * 3600_000),
      }),
    );
    await em.flush();
    // One row per channel and recipient (`invitation:12:message:inbox:7`); which invitations have one.
    const messages = async () => {
      const rows = await t.orm.em
        .fork()
        .find(OutboxMessage, { idempotencyKey: { $like: 'invitation:%:message:%' } });
      return invs
        .map((i) => `invitation:${i.id}:message`)
        .filter((k) => rows.some((r) => r.idempotencyKey.startsWith(`${k}:`)));
    };

    // The first of the three fails (not a lock race, so no retry helps).
    const failing = invs[0];
    const drop = await refuseKey(`invitation:${failing.id}:message:`, 'refused by the test trigger');
    try {
      await expect(sweepInvitations(t.orm.em.fork(), now, t.config)).rejects.toThrow(
        new RegExp(`1 of \\d+ invitations failed \\(ids ${failing.id}\\).*refused by the test trigger`),
      );
    } finally {
      await drop();
    }
    // The two after it were still swept, the failed one wrote nothing (its transaction rolled back).
    expect((await messages()).sort()).toEqual(
      [`invitation:${invs[1].id}:message`, `invitation:${invs[2].id}:message`].sort(),
    );
    const nudgesOf = (appId: number) =>
      t.orm.em
        .fork()
        .count(OutboxMessage, { aggregate: `application:${appId}`, topic: { $like: 'nudge.%' } });
    expect(await nudgesOf(apps[0].id)).toBe(0);
    expect(await nudgesOf(apps[1].id)).toBeGreaterThan(0);

    // Next wake: the failed one goes out, the others are not written twice.
    await sweepInvitations(t.orm.em.fork(), now, t.config);
    expect((await messages()).sort()).toEqual(invs.map((i) => `invitation:${i.id}:message`).sort());
  });

  /** `em` with a count of the transactions a sweep opens (on it or on a fork of it). */
  function countingTransactions() {
    const em = t.orm.em.fork();
    let n = 0;
    const count = <T extends { transactional: (...a: never[]) => unknown }>(e: T): T => {
      const orig = e.transactional.bind(e) as (...a: never[]) => unknown;
      e.transactional = ((...a: never[]) => {
        n++;
        return orig(...a);
      }) as T['transactional'];
      return e;
    };
    count(em);
    const fork = em.fork.bind(em);
    em.fork = ((...a: Parameters<typeof em.fork>) => count(fork(...a))) as typeof em.fork;
    return { em, opened: () => n };
  }

  it("keeps each invitation's transaction out of the sweep's own identity map, and skips what is already queued", async () => {
    const now = new Date();
    const setup = t.orm.em.fork();
    const apps = await setup.find(
      Application,
      { stage: { $in: ['invited', 'booked', 'interviewing'] } },
      { populate: ['job', 'candidate'], orderBy: { id: 'desc' }, limit: 2 },
    );
    await setup.nativeUpdate(
      Invitation,
      { candidate: { $in: apps.map((a) => a.candidate.id) } },
      { revokedAt: now },
    );
    for (const a of apps)
      setup.create(Invitation, {
        candidate: a.candidate,
        job: a.job,
        expiresAt: new Date(now.getTime() + 5 * 24 * 3600_000),
      });
    await setup.flush();

    const first = countingTransactions();
    expect(await sweepInvitations(first.em, now, t.config)).toBeGreaterThanOrEqual(2);
    expect(first.opened()).toBeGreaterThanOrEqual(2);
    // What the sweep read up front (invitations, their candidates and jobs) stays; the
    // applications each transaction reads must not pile up there: every later transaction's
    // flush would walk them (quadratic in the invitations swept).
    const kinds = new Set(
      [...first.em.getUnitOfWork().getIdentityMap()].map((e) => (e as object).constructor.name),
    );
    expect([...kinds]).not.toContain('Application');
    expect(kinds.has('Invitation')).toBe(true);

    // Everything is queued now: the next sweep looks at the same invitations and opens no transaction.
    const rows = await t.orm.em.fork().count(OutboxMessage, {});
    const again = countingTransactions();
    expect(await sweepInvitations(again.em, now, t.config)).toBeGreaterThanOrEqual(2);
    expect(again.opened()).toBe(0);
    expect(await t.orm.em.fork().count(OutboxMessage, {})).toBe(rows);

    // A nudge gone missing (deleted by hand): that invitation is swept again, and only it.
    // The newest nudge of the first application (this invitation's), on every channel it went to.
    const nudge = await t.orm.em
      .fork()
      .findOneOrFail(
        OutboxMessage,
        { aggregate: `application:${apps[0].id}`, topic: { $like: 'nudge.%' } },
        { orderBy: { id: 'desc' } },
      );
    const prefix = nudge.idempotencyKey.split(':').slice(0, -2).join(':');
    const removed = await t.orm.em
      .fork()
      .nativeDelete(OutboxMessage, { idempotencyKey: { $like: `${prefix}:%` } });
    expect(removed).toBeGreaterThan(0);
    const third = countingTransactions();
    await sweepInvitations(third.em, now, t.config);
    expect(third.opened()).toBe(1);
    expect(await t.orm.em.fork().count(OutboxMessage, {})).toBe(rows);
  });
});
