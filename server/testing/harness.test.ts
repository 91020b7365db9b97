import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { describe, expect, it, vi } from 'vitest';
import { createTestDatabase, dropMysqlDatabase } from './harness';

/** The server's data directory when this process can write into it (same machine, as in CI). */
async function writableDatadir(base: string): Promise<string | undefined> {
  const c = await mysql.createConnection(base);
  try {
    const [[row]] = await c.query<mysql.RowDataPacket[]>('select @@datadir as d');
    const dir = String(row?.d ?? '');
    try {
      fs.accessSync(dir, fs.constants.W_OK);
      return dir;
    } catch {
      return undefined;
    }
  } finally {
    await c.end();
  }
}

async function exists(base: string, name: string): Promise<boolean> {
  const c = await mysql.createConnection(base);
  try {
    const [rows] = await c.query<mysql.RowDataPacket[]>(
      'select 1 from information_schema.schemata where schema_name = ?',
      [name],
    );
    return rows.length === 1;
  } finally {
    await c.end();
  }
}

describe.runIf(process.env.MYSQL_URL)('dropping a MariaDB test database', () => {
  const base = process.env.MYSQL_URL as string;

  it('retries "directory not empty", then warns instead of failing the suite', async () => {
    const datadir = await writableDatadir(base);
    if (!datadir) return expect(datadir).toBeUndefined(); // not on the database's machine
    const { db } = await createTestDatabase('mysql');
    const name = new URL(db.url as string).pathname.slice(1);
    // A file the server does not know keeps the directory from being removed, as a table file
    // InnoDB has not deleted yet does.
    const stray = path.join(datadir, name, 'stray.tmp');
    fs.writeFileSync(stray, 'x');
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(dropMysqlDatabase(base, name, 2)).resolves.toBeUndefined();
      expect(String(warn.mock.calls.at(-1)?.[0])).toMatch(
        new RegExp(`test database ${name} left behind: .*rmdir`),
      );
    } finally {
      warn.mockRestore();
    }
    // Once the file is gone, as InnoDB's would be, the next try succeeds.
    fs.rmSync(stray);
    await dropMysqlDatabase(base, name);
    expect(await exists(base, name)).toBe(false);
  });

  it('passes any other error on', async () => {
    await expect(dropMysqlDatabase(base, 'no`such')).rejects.toThrow();
  });
});
