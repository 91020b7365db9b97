import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { User } from '../../kernel/db/entities/User';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { csvCell, toCsv } from './csv';

describe('csv', () => {
  it('quotes every cell and neutralises formulas (= + - @ tab CR), numbers untouched', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const c of ['+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(c).startsWith(`"'`)).toBe(true);
    expect(csvCell(-5)).toBe('"-5"');
    expect(csvCell('a,b\nc')).toBe('"a,b\nc"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell({ k: 'v' })).toBe('"{""k"":""v""}"');
    expect(toCsv(['a'], [[1]])).toBe('\uFEFF"a"\r\n"1"\r\n');
  });
});

describeEachDialect('audit log', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('records sign-ins and views, readable by HR only, filtered and paginated newest first', async () => {
    const hr = await t.signInEmployee('hr01');
    const int = await t.signInEmployee('int01');
    await t.api('GET', '/api/candidates/1', { token: hr });
    const page = await t.api('GET', '/api/audit?limit=2', { token: hr });
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0].id).toBeGreaterThan(page.body.items[1].id);
    const next = await t.api('GET', `/api/audit?limit=2&before=${page.body.nextBefore}`, { token: hr });
    expect(next.body.items[0].id).toBeLessThan(page.body.items[1].id);
    const views = await t.api('GET', '/api/audit?action=candidate.viewed&objectType=candidate&objectId=1', {
      token: hr,
    });
    expect(views.body.items).toHaveLength(1);
    expect(views.body.items[0]).toMatchObject({
      actor: { kind: 'employee' },
      object: { type: 'candidate', id: '1' },
    });
    const signIns = await t.api('GET', '/api/audit?action=auth.sign_in', { token: hr });
    expect(signIns.body.items.length).toBeGreaterThanOrEqual(2);
    expect((await t.api('GET', '/api/audit', { token: int })).status).toBe(403);
    const bad = await t.api('GET', '/api/audit?limit=1000', { token: hr });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('query.limit');
  });

  it('filters by person, object, action (exact or prefix) and date; names the actor', async () => {
    const hr = await t.signInEmployee('hr01');
    const hrUser = await t.orm.em.fork().findOneOrFail(User, { dingtalkUserId: 'hr01' });
    await t.api('GET', '/api/candidates/2', { token: hr });
    const mine = await t.api('GET', `/api/audit?actorId=${hrUser.id}&action=candidate.`, { token: hr });
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThanOrEqual(1);
    for (const i of mine.body.items) {
      expect(i.actor).toEqual({ kind: 'employee', id: hrUser.id, name: '王晓燕' });
      expect(i.action.startsWith('candidate.')).toBe(true);
    }
    const obj = await t.api('GET', '/api/audit?objectType=candidate&objectId=2', { token: hr });
    expect(obj.body.items.every((i: { object: { id: string } }) => i.object.id === '2')).toBe(true);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const dated = await t.api('GET', `/api/audit?from=${today}&to=${today}&action=candidate.viewed`, {
      token: hr,
    });
    expect(dated.body.items.length).toBeGreaterThanOrEqual(1);
    const past = await t.api('GET', '/api/audit?from=2000-01-01&to=2000-01-02', { token: hr });
    expect(past.body.items).toEqual([]);
    const bad = await t.api('GET', '/api/audit?from=2026-13-45', { token: hr });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('query.from');
    const facets = await t.api('GET', '/api/audit/facets', { token: hr });
    expect(facets.body.actions).toContain('candidate.viewed');
    expect(facets.body.actors).toContainEqual({ id: hrUser.id, name: '王晓燕' });
  });

  it('exports CSV with formulas neutralised, and the export is audited', async () => {
    const hr = await t.signInEmployee('hr01');
    const em = t.orm.em.fork();
    em.create(AuditLog, {
      actorKind: 'system',
      action: 'test.injection',
      objectType: 'note',
      objectId: '=cmd|calc',
      details: { note: '@SUM(1)' },
    });
    await em.flush();
    const res = await fetch(`${t.url}/api/audit/export.csv?action=test.injection`, {
      headers: { authorization: `Bearer ${hr}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="audit-/);
    const text = await res.text();
    const lines = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=cmd|calc"`);
    expect(lines[1]).not.toMatch(/(^|,)"[=+@-]/);
    expect(await t.orm.em.fork().count(AuditLog, { action: 'audit.exported' })).toBe(1);
    const int = await t.signInEmployee('int01');
    const refused = await fetch(`${t.url}/api/audit/export.csv`, {
      headers: { authorization: `Bearer ${int}` },
    });
    expect(refused.status).toBe(403);
    const bad = await t.api('GET', '/api/audit/export.csv?limit=5', { token: hr });
    expect(bad.status).toBe(400);
  });
});
