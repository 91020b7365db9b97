/**
 * Candidate intake through the API: adding one, importing a spreadsheet (preview with per-row
 * errors, confirm all-or-nothing, duplicates merged within a file, against existing candidates
 * and across two simultaneous imports), limits, and inviting (bulk, DingTalk message, resend,
 * revoke -> the link is refused).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_MAX_BYTES } from '../../../shared/api/candidates';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { invitationTokenOf } from '../../kernel/http/tokens';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

/** An .xlsx (first sheet) from rows, base64-encoded as the mini-app sends it. */
async function xlsx(rows: unknown[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('候选人');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

const HEADER = ['姓名', '手机号', '邮箱', '来源', '推荐人'];

describeEachDialect('candidate intake', (dialect) => {
  let t: TestApp;
  let hr: string;
  let jobId: number;
  const count = () => t.orm.em.fork().count(Candidate, {});
  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await t.signInEmployee('hr01');
    jobId = (await t.orm.em.fork().findOneOrFail(Job, { slug: 'backend' })).id;
  }, 60_000);
  afterAll(async () => t?.close());

  describe('add one', () => {
    it('normalises the mobile, keeps the source, and merges a second add of the same person', async () => {
      const res = await t.api('POST', '/api/candidates', {
        token: hr,
        body: { name: '林一', mobile: '+86 139-1234-0001', source: 'referral', referrer: '张伟' },
      });
      expect(res.status).toBe(201);
      expect(res.body.candidate).toMatchObject({
        name: '林一',
        mobile: '13912340001',
        source: 'referral',
        referrer: '张伟',
      });
      expect(res.body.merged).toBe(false);
      const before = await count();
      const again = await t.api('POST', '/api/candidates', {
        token: hr,
        body: { name: '林一', mobile: '008613912340001', email: 'LinYi@Example.com', source: 'campus' },
      });
      expect(again.status).toBe(200);
      expect(again.body.merged).toBe(true);
      expect(again.body.candidate.id).toBe(res.body.candidate.id);
      // The first source stays (statistics count where the person came from first); the e-mail is filled in.
      expect(again.body.candidate).toMatchObject({ source: 'referral', email: 'linyi@example.com' });
      expect(await count()).toBe(before);
      const audits = await t.orm.em
        .fork()
        .count(AuditLog, { action: { $in: ['candidate.created', 'candidate.merged'] } });
      expect(audits).toBeGreaterThanOrEqual(2);
    });

    it('merges with a seeded candidate by mobile', async () => {
      const before = await count();
      const res = await t.api('POST', '/api/candidates', {
        token: hr,
        body: { name: '张三', mobile: '13900000001' },
      });
      expect(res.status).toBe(200);
      expect(res.body.merged).toBe(true);
      expect(await count()).toBe(before);
    });

    it('refuses bad input naming the field, and saves nothing', async () => {
      const before = await count();
      const none = await t.api('POST', '/api/candidates', { token: hr, body: { name: '无联系方式' } });
      expect(none.status).toBe(400);
      expect(none.body.error.code).toBe('validation_failed');
      expect(none.body.error.details[0].field).toBe('body.mobile');
      const badMobile = await t.api('POST', '/api/candidates', {
        token: hr,
        body: { name: 'x', mobile: '12345' },
      });
      expect(badMobile.body.error.details[0].field).toBe('body.mobile');
      const badEmail = await t.api('POST', '/api/candidates', {
        token: hr,
        body: { name: 'x', email: 'not-an-email' },
      });
      expect(badEmail.body.error.details[0].field).toBe('body.email');
      const badSource = await t.api('POST', '/api/candidates', {
        token: hr,
        body: { name: 'x', email: 'a@b.cn', source: 'newspaper' },
      });
      expect(badSource.body.error.details[0].field).toBe('body.source');
      const noName = await t.api('POST', '/api/candidates', { token: hr, body: { email: 'a@b.cn' } });
      expect(noName.body.error.details[0]).toMatchObject({ field: 'body.name', kind: 'required' });
      expect(await count()).toBe(before);
    });

    it('is HR-only (policies table)', async () => {
      for (const who of ['mgr01', 'int01']) {
        const token = await t.signInEmployee(who);
        const res = await t.api('POST', '/api/candidates', {
          token,
          body: { name: 'x', email: `${who}@x.cn` },
        });
        expect(res.status).toBe(403);
        const imp = await t.api('POST', '/api/candidates/imports', {
          token,
          body: { fileName: 'a.csv', contentBase64: Buffer.from('姓名,邮箱\nx,x@y.cn').toString('base64') },
        });
        expect(imp.status).toBe(403);
      }
    });

    it('lists with search, source filter and pagination', async () => {
      const page = await t.api('GET', '/api/candidates?source=referral&limit=1&offset=0', { token: hr });
      expect(page.status).toBe(200);
      expect(page.body.items.every((c: { source: string }) => c.source === 'referral')).toBe(true);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      const byMobile = await t.api('GET', '/api/candidates?q=13912340001', { token: hr });
      expect(byMobile.body.items.map((c: { name: string }) => c.name)).toEqual(['林一']);
      expect(page.body.bySource.referral).toBe(page.body.total);
      const all = await t.api('GET', '/api/candidates', { token: hr });
      const sum = Object.values(all.body.bySource as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(sum).toBe(all.body.total);
      expect(all.body.bySource.referral).toBeGreaterThanOrEqual(1);
      const bad = await t.api('GET', '/api/candidates?source=x', { token: hr });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe('query.source');
    });
  });

  it('a first DingTalk sign-in attaches to the candidate HR added with the same mobile (no second row)', async () => {
    // 王五 was added by HR and has never signed in with DingTalk (no unionId yet).
    const em = t.orm.em.fork();
    const wang = await em.findOneOrFail(Candidate, { name: '王五' });
    wang.unionId = null;
    await em.flush();
    const before = await count();
    const start = await t.api('GET', '/api/auth/oauth/start?next=/');
    const state = new URL(start.headers.get('location') as string).searchParams.get('state') as string;
    const cookie = (start.headers.get('set-cookie') as string).split(';')[0];
    // The person consented to share their mobile (without that scope DingTalk gives none, and
    // only an e-mail or nothing can match).
    const code = await t.sandbox.issueOAuthCode('uid-cand03-Cc3', 'http://localhost:1/auth/callback', {
      scope: 'openid Contact.User.mobile',
    });
    const res = await t.api('POST', '/api/auth/oauth/exchange', {
      body: { code, state },
      headers: { cookie },
    });
    expect(res.status).toBe(200);
    expect(res.body.me.id).toBe(wang.id);
    expect(await count()).toBe(before);
    expect((await t.orm.em.fork().findOneOrFail(Candidate, { id: wang.id })).unionId).toBe('uid-cand03-Cc3');
  });

  describe('import', () => {
    it('previews per-row errors and duplicates, imports nothing until confirmed, then imports once', async () => {
      const before = await count();
      const file = await xlsx([
        HEADER,
        ['周一', '13911110001', '', '内推', '张伟'],
        ['吴二', '', 'wuer@example.com', '招聘网站', ''],
        ['', '13911110003', '', '', ''], // row 4: no name
        ['郑三', '139111', '', '', ''], // row 5: bad mobile
        ['周一', '139 1111 0001', 'zhouyi@example.com', '', ''], // row 6: same person as row 2
        ['张三', '13900000001', '', '校园', ''], // row 7: seeded candidate
        ['冯四', '13911110007', '', '报纸', ''], // row 8: unknown source
      ]);
      const pre = await t.api('POST', '/api/candidates/imports', {
        token: hr,
        body: { fileName: 'march.xlsx', contentBase64: file },
      });
      expect(pre.status).toBe(201);
      const imp = pre.body.import;
      expect(imp.status).toBe('previewed');
      expect(imp.totalRows).toBe(7);
      expect(imp.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
        [4, 'name'],
        [5, 'mobile'],
        [8, 'source'],
      ]);
      expect(imp.errors[0].message.zh).toBeTruthy();
      expect(imp.errors[0].message.en).toBeTruthy();
      expect(imp.rows.find((r: { row: number }) => r.row === 6).sameAsRow).toBe(2);
      expect(imp.rows.find((r: { row: number }) => r.row === 7).existingCandidateId).toBeGreaterThan(0);
      expect(await count()).toBe(before);

      const conf = await t.api('POST', `/api/candidates/imports/${imp.id}/confirm`, { token: hr, body: {} });
      expect(conf.status).toBe(200);
      expect(conf.body.import).toMatchObject({ status: 'confirmed', created: 2, merged: 1 });
      expect(conf.body.import.candidateIds).toHaveLength(3);
      expect(await count()).toBe(before + 2);
      const zhou = await t.orm.em.fork().findOneOrFail(Candidate, { mobileKey: '+8613911110001' });
      expect(zhou).toMatchObject({ email: 'zhouyi@example.com', source: 'referral', referrer: '张伟' });

      const twice = await t.api('POST', `/api/candidates/imports/${imp.id}/confirm`, { token: hr, body: {} });
      expect(twice.status).toBe(409);
      expect(twice.body.error.code).toBe('import_already_confirmed');
      expect(await count()).toBe(before + 2);
    });

    it('reads CSV in UTF-8 and in GBK (what Excel saves in China)', async () => {
      const text = '姓名,手机,邮箱,来源\n陈五,13911120001,,校园\n';
      const gbk = Buffer.from([
        ...Buffer.from('name,mobile\n'),
        0xc0,
        0xee,
        0xcb,
        0xc4, // 李四 in GBK
        ...Buffer.from(',13911120002\n'),
      ]);
      const a = await t.api('POST', '/api/candidates/imports', {
        token: hr,
        body: { fileName: 'a.csv', contentBase64: Buffer.from(`\uFEFF${text}`).toString('base64') },
      });
      expect(a.body.import.rows[0]).toMatchObject({
        name: '陈五',
        mobile: '+8613911120001',
        source: 'campus',
      });
      const b = await t.api('POST', '/api/candidates/imports', {
        token: hr,
        body: { fileName: 'b.CSV', contentBase64: gbk.toString('base64') },
      });
      expect(b.body.import.rows[0]).toMatchObject({ name: '李四', mobile: '+8613911120002' });
    });

    it('refuses files it cannot import, with a clear code, storing nothing', async () => {
      const post = (fileName: string, contentBase64: string) =>
        t.api('POST', '/api/candidates/imports', { token: hr, body: { fileName, contentBase64 } });
      const big = await post('big.csv', Buffer.alloc(IMPORT_MAX_BYTES + 10, 0x41).toString('base64'));
      expect([400, 413]).toContain(big.status);
      expect(['import_file_too_large', 'validation_failed', 'payload_too_large']).toContain(
        big.body.error.code,
      );
      const many = await post(
        'many.csv',
        Buffer.from(
          ['name,email', ...Array.from({ length: 1001 }, (_, i) => `n${i},n${i}@x.cn`)].join('\n'),
        ).toString('base64'),
      );
      expect(many.status).toBe(400);
      expect(many.body.error).toMatchObject({ code: 'import_too_many_rows', details: { maxRows: 1000 } });
      const cols = await post('cols.csv', Buffer.from('foo,bar\n1,2').toString('base64'));
      expect(cols.body.error.code).toBe('import_missing_columns');
      const notZip = await post('fake.xlsx', Buffer.from('name,email\n').toString('base64'));
      expect(notZip.body.error.code).toBe('import_unreadable');
      const ext = await post('list.pdf', Buffer.from('x').toString('base64'));
      expect(ext.body.error.details[0].field).toBe('body.fileName');
    });

    it('is all-or-nothing: a row that became ambiguous refuses the whole batch', async () => {
      const file = await xlsx([
        HEADER,
        ['甲', '13911130001', '', '', ''],
        ['乙', '13911130002', 'yi@example.com', '', ''],
        ['丙', '13911130003', '', '', ''],
      ]);
      const pre = await t.api('POST', '/api/candidates/imports', {
        token: hr,
        body: { fileName: 'abc.xlsx', contentBase64: file },
      });
      expect(pre.body.import.errors).toEqual([]);
      // Meanwhile two people are added: one with 乙's mobile, another with 乙's e-mail.
      await t.api('POST', '/api/candidates', { token: hr, body: { name: '乙1', mobile: '13911130002' } });
      await t.api('POST', '/api/candidates', { token: hr, body: { name: '乙2', email: 'yi@example.com' } });
      const before = await count();
      const conf = await t.api('POST', `/api/candidates/imports/${pre.body.import.id}/confirm`, {
        token: hr,
        body: {},
      });
      expect(conf.status).toBe(409);
      expect(conf.body.error).toMatchObject({ code: 'candidate_contact_conflict', details: { row: 3 } });
      expect(await count()).toBe(before);
      expect(await t.orm.em.fork().count(Candidate, { mobileKey: '+8613911130001' })).toBe(0);
      const after = await t.api('GET', `/api/candidates/imports/${pre.body.import.id}`, { token: hr });
      expect(after.body.import.status).toBe('previewed');
    });

    it('two simultaneous imports of overlapping files never double a person', async () => {
      const people = Array.from({ length: 30 }, (_, i) => [
        `并发${i}`,
        `1391114${String(i).padStart(4, '0')}`,
        '',
        '',
        '',
      ]);
      const a = await xlsx([HEADER, ...people.slice(0, 20)]);
      const b = await xlsx([HEADER, ...people.slice(10, 30)]);
      const [pa, pb] = await Promise.all(
        [a, b].map((f, i) =>
          t.api('POST', '/api/candidates/imports', {
            token: hr,
            body: { fileName: `p${i}.xlsx`, contentBase64: f },
          }),
        ),
      );
      const before = await count();
      const [ca, cb] = await Promise.all(
        [pa, pb].map((p) =>
          t.api('POST', `/api/candidates/imports/${p.body.import.id}/confirm`, { token: hr, body: {} }),
        ),
      );
      expect([ca.status, cb.status]).toEqual([200, 200]);
      expect(await count()).toBe(before + 30);
      expect(ca.body.import.created + cb.body.import.created).toBe(30);
      expect(ca.body.import.merged + cb.body.import.merged).toBe(10);
    });
  });

  describe('invitations', () => {
    it('bulk-invites a confirmed import, skips those already invited, and gives a link text to copy', async () => {
      const file = await xlsx([
        HEADER,
        ['邀一', '13911150001', '', '', ''],
        ['邀二', '', 'yao2@example.com', '', ''],
      ]);
      const pre = await t.api('POST', '/api/candidates/imports', {
        token: hr,
        body: { fileName: 'i.xlsx', contentBase64: file },
      });
      const early = await t.api('POST', '/api/invitations/bulk', {
        token: hr,
        body: { jobId, importId: pre.body.import.id },
      });
      expect(early.status).toBe(400);
      await t.api('POST', `/api/candidates/imports/${pre.body.import.id}/confirm`, { token: hr, body: {} });
      const res = await t.api('POST', '/api/invitations/bulk', {
        token: hr,
        body: { jobId, importId: pre.body.import.id },
      });
      expect(res.status).toBe(201);
      expect(res.body.invitations).toHaveLength(2);
      const inv = res.body.invitations[0];
      expect(inv.status).toBe('active');
      expect(inv.url).toContain('/invite#');
      expect(inv.messageText).toContain(inv.url);
      expect(inv.messageText).toContain('邀一');
      const again = await t.api('POST', '/api/invitations/bulk', {
        token: hr,
        body: { jobId, importId: pre.body.import.id },
      });
      expect(again.body.invitations).toHaveLength(0);
      expect(again.body.skipped).toHaveLength(2);
      const both = await t.api('POST', '/api/invitations/bulk', {
        token: hr,
        body: { jobId, importId: pre.body.import.id, candidateIds: [1] },
      });
      expect(both.body.error.details[0].field).toBe('body.candidateIds');
      const unknown = await t.api('POST', '/api/invitations/bulk', {
        token: hr,
        body: { jobId, candidateIds: [999999] },
      });
      expect(unknown.status).toBe(404);
      const mgr = await t.signInEmployee('mgr01');
      expect(
        (await t.api('POST', '/api/invitations/bulk', { token: mgr, body: { jobId, candidateIds: [1] } }))
          .status,
      ).toBe(403);
    });

    it('sends a DingTalk work notice to an internal candidate, resends, and a revoked link is refused', async () => {
      // 张伟 (int01, mobile 13800000021) applies internally.
      const add = await t.api('POST', '/api/candidates', {
        token: hr,
        body: { name: '张伟', mobile: '13800000021' },
      });
      const candidateId = add.body.candidate.id;
      const inv = await t.api('POST', '/api/invitations', {
        token: hr,
        body: { candidateId, jobId, channel: 'dingtalk' },
      });
      expect(inv.status).toBe(201);
      const id = inv.body.invitation.id;
      const rows = () =>
        t.orm.em
          .fork()
          .find(
            OutboxMessage,
            { idempotencyKey: { $like: `invitation:${id}:%` } },
            { orderBy: { id: 'asc' } },
          );
      expect((await rows()).map((r) => [r.channel, r.recipientId])).toEqual([['work_notice', 'int01']]);
      const resent = await t.api('POST', `/api/invitations/${id}/resend`, {
        token: hr,
        body: { channel: 'dingtalk' },
      });
      expect(resent.status).toBe(200);
      expect(await rows()).toHaveLength(2);
      const copy = await t.api('POST', `/api/invitations/${id}/resend`, { token: hr, body: {} });
      expect(copy.body.invitation.url).toContain('/invite#');
      expect(await rows()).toHaveLength(2);

      const link = invitationTokenOf(inv.body.invitation.url);
      const revoked = await t.api('POST', `/api/invitations/${id}/revoke`, { token: hr, body: {} });
      expect(revoked.body.invitation).toMatchObject({ status: 'revoked', url: null, messageText: null });
      const signIn = await t.api('POST', '/api/auth/invitation', { body: { token: link } });
      expect(signIn.status).toBe(401);
      expect(signIn.body.error.code).toBe('invitation_revoked');
      const resend = await t.api('POST', `/api/invitations/${id}/resend`, { token: hr, body: {} });
      expect(resend.status).toBe(409);
      expect(resend.body.error.code).toBe('invitation_not_active');
      const list = await t.api('GET', `/api/candidates/${candidateId}/invitations`, { token: hr });
      expect(list.body.invitations[0]).toMatchObject({ id, status: 'revoked' });
      const audits = await t.orm.em
        .fork()
        .count(AuditLog, { action: 'invitation.revoked', objectId: String(id) });
      expect(audits).toBe(1);
      expect((await t.api('POST', '/api/invitations/999999/revoke', { token: hr, body: {} })).status).toBe(
        404,
      );
    });
  });
});
