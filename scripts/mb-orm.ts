import mysql from 'mysql2/promise';
import { openOrm } from '../server/db/orm';

const url = 'mysql://root@127.0.0.1:3306/test';
const orm = await openOrm({ dialect: 'mysql', url, poolMax: 20 } as never);
const raw = mysql.createPool({ uri: url, connectionLimit: 20 });
await raw.query(
  'create table if not exists mb_t (id int primary key, taken int not null, capacity int not null)',
);
await raw.query('delete from mb_t');
await raw.query(
  `insert into mb_t values ${Array.from({ length: 100 }, (_, i) => `(${i + 1},0,1000000)`).join(',')}`,
);
const native = ((await (orm.em.getConnection() as any).getNativeClient()) as any).promise();
async function run(name: string, n: number, f: (i: number) => Promise<unknown>) {
  const t = performance.now();
  await Promise.all(Array.from({ length: n }, (_, i) => f(i)));
  const ms = performance.now() - t;
  console.log(name.padEnd(40), Math.round((n / ms) * 1000), '/s');
}
for (let r = 0; r < 2; r++) {
  await run('raw pool.execute update', 1000, (i) =>
    raw.execute('update mb_t set taken = taken + 1 where id = ? and taken < capacity', [(i % 100) + 1]),
  );
  await run('orm native pool.execute update', 1000, (i) =>
    native.execute('update mb_t set taken = taken + 1 where id = ? and taken < capacity', [(i % 100) + 1]),
  );
  await run('orm native pool.query update', 1000, (i) =>
    native.query('update mb_t set taken = taken + 1 where id = ? and taken < capacity', [(i % 100) + 1]),
  );
  await run('orm em.execute update', 1000, (i) =>
    orm.em
      .fork()
      .execute('update mb_t set taken = taken + 1 where id = ? and taken < capacity', [(i % 100) + 1], 'run'),
  );
  await run('orm em.execute select', 1000, (i) =>
    orm.em.fork().execute('select * from mb_t where id = ?', [(i % 100) + 1]),
  );
  await run('orm tx 1 update', 1000, (i) =>
    orm.em
      .fork()
      .transactional((tx) =>
        tx.execute('update mb_t set taken = taken + 1 where id = ?', [(i % 100) + 1], 'run'),
      ),
  );
  await run('native tx 1 update', 1000, async (i) => {
    const c = await native.getConnection();
    try {
      await c.query('begin');
      await c.execute('update mb_t set taken = taken + 1 where id = ?', [(i % 100) + 1]);
      await c.query('commit');
    } finally {
      c.release();
    }
  });
}
await raw.query('drop table mb_t');
await raw.end();
await orm.close(true);
