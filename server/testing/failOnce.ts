import type { Orm } from '../kernel/db/orm';

/**
 * MariaDB only: runs `fn` while the first UPDATE of `table` whose row matches `when` (a trigger
 * condition over `new.` and `old.`) fails, once. `deadlock` fails it as MariaDB fails a deadlock
 * victim (errno 1213); a message fails it with that text (SQLSTATE 45000). The marker table is
 * MyISAM, so its delete survives the failed transaction's rollback and only one attempt fails.
 * Returns whether the failure happened.
 */
export async function withUpdateFailingOnce(
  orm: Orm,
  opts: { name: string; table: string; when: string; error: 'deadlock' | string },
  fn: () => Promise<void>,
): Promise<boolean> {
  const conn = orm.em.getConnection();
  const marker = `${opts.name}_marker`;
  const signal =
    opts.error === 'deadlock'
      ? `signal sqlstate '40001' set mysql_errno = 1213,
           message_text = 'Deadlock found when trying to get lock; try restarting transaction'`
      : `signal sqlstate '45000' set message_text = '${opts.error.replace(/'/g, "''")}'`;
  await conn.execute(`create table ${marker} (n int) engine=MyISAM`);
  await conn.execute(`insert into ${marker} values (1)`);
  await conn.execute(`create trigger ${opts.name} before update on ${opts.table} for each row
    begin
      if ${opts.when} and (select count(*) from ${marker}) > 0 then
        delete from ${marker};
        ${signal};
      end if;
    end`);
  try {
    await fn();
    const [left] = await conn.execute<Array<{ n: number }>>(`select count(*) as n from ${marker}`);
    return Number(left.n) === 0;
  } finally {
    await conn.execute(`drop trigger if exists ${opts.name}`);
    await conn.execute(`drop table if exists ${marker}`);
  }
}
