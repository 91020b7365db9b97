import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

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
});
