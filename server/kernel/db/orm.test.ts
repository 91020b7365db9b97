import { afterEach, describe, expect, it } from 'vitest';
import { migrateUp, type Orm, openOrm } from './orm';
import { dialectOf } from './tx';

/**
 * What a server process loads at start (issue 18: idle memory): the migrator and the migrations
 * only when the process migrates, so a production web or worker process never carries them.
 */
describe('openOrm', () => {
  let orm: Orm | null = null;
  afterEach(async () => {
    await orm?.close(true);
    orm = null;
  });

  it('leaves the migrator unloaded until the process migrates (as the server opens it)', async () => {
    orm = await openOrm({ dialect: 'sqlite', file: ':memory:', url: 'sqlite::memory:' }, { migrator: false });
    expect(dialectOf(orm.em)).toBe('sqlite');
    expect(() => orm?.migrator).toThrow(/migrator is not loaded/);
    const applied = await migrateUp(orm);
    expect(applied.length).toBeGreaterThan(0);
    expect(await orm.migrator.getPending()).toEqual([]);
    expect(await migrateUp(orm)).toEqual([]);
  });

  it('has the migrator ready by default (scripts and tests)', async () => {
    orm = await openOrm({ dialect: 'sqlite', file: ':memory:', url: 'sqlite::memory:' });
    expect((await orm.migrator.getPending()).length).toBeGreaterThan(0);
  });
});
