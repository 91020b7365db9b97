import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../../testing/sandbox';
import { loadConfig } from '../../config';
import { createLogger } from '../../logger';
import { createDingTalk, type DingTalk } from './index';

describe('HRM pre-entry through the sandbox', () => {
  let sb: TestSandbox;
  let dt: DingTalk;
  beforeAll(async () => {
    sb = await startTestSandbox();
    const config = loadConfig({ APP_MODE: 'test', SANDBOX_URL: sb.url, LOG_LEVEL: 'silent' });
    dt = createDingTalk(config.dingtalk, createLogger('silent'), { throttleDelayMs: 10 });
  });
  afterAll(async () => sb?.close());

  const args = (mobile: string) => ({
    name: '新同事',
    mobile,
    preEntryTime: new Date('2027-01-04T01:00:00Z'),
    opUserId: 'hr01',
    position: '高级后端工程师',
    deptId: 20,
  });

  it('creates the record with the new API', async () => {
    const r = await dt.hrm.addPreEntry(args('13700000001'));
    expect(r.via).toBe('new');
    expect((await sb.client.hrm()).preentries).toEqual([
      expect.objectContaining({
        tmpUserId: r.id,
        mobile: '13700000001',
        preEntryTime: Date.parse('2027-01-04T01:00:00Z'),
      }),
    ]);
  });

  it('refuses a mobile that already belongs to a member (and a second pre-entry)', async () => {
    await expect(dt.hrm.addPreEntry(args('13800000001'))).rejects.toMatchObject({ name: 'DingTalkError' });
    await expect(dt.hrm.addPreEntry(args('13700000001'))).rejects.toMatchObject({ name: 'DingTalkError' });
    expect((await sb.client.hrm()).preentries).toHaveLength(1);
  });

  it('falls back to the old addpreentry when the new API is not available to the app', async () => {
    await sb.client.hrmSettings({ newApiAvailable: false });
    const r = await dt.hrm.addPreEntry(args('13700000002'));
    expect(r.via).toBe('old');
    const rec = (await sb.client.hrm()).preentries.at(-1);
    expect(rec).toMatchObject({
      via: 'old',
      preEntryTime: '2027-01-04 09:00:00',
      extendInfo: { position: '高级后端工程师', depts: '20' },
    });
    // The old API refuses a member's mobile with 系统繁忙, surfaced as an error.
    await expect(dt.hrm.addPreEntry(args('13800000002'))).rejects.toMatchObject({ name: 'DingTalkError' });
  });
});

describe('HR records (probation, leaving, performance) through the sandbox', () => {
  let sb: TestSandbox;
  let dt: DingTalk;
  beforeAll(async () => {
    sb = await startTestSandbox();
    const config = loadConfig({ APP_MODE: 'test', SANDBOX_URL: sb.url, LOG_LEVEL: 'silent' });
    dt = createDingTalk(config.dingtalk, createLogger('silent'), { throttleDelayMs: 10 });
  });
  afterAll(async () => sb?.close());

  it('reads every page of appraisals, the roster fields and leaving records', async () => {
    // 3 people x 45 appraisals = 135 records: two pages of 100.
    const periods = Array.from({ length: 45 }, (_, i) => ({
      period: `P${String(i).padStart(2, '0')}`,
      grade: 'B',
    }));
    await sb.client.hrmEmployees([
      {
        userId: 'r1',
        mobile: '13611110001',
        status: 'regular',
        regularDate: '2026-03-01',
        performance: periods,
      },
      { userId: 'r2', mobile: '13611110002', status: 'probation', performance: periods },
      {
        userId: 'r3',
        mobile: '13611110003',
        status: 'left',
        preStatus: 3,
        lastWorkDay: 1_790_000_000_000,
        performance: periods,
      },
    ]);
    const perf = await dt.hrmRecords.performanceRecords(['r1', 'r2', 'r3']);
    expect(perf).toHaveLength(135);
    expect(perf.filter((p) => p.userId === 'r3').map((p) => p.period)).toEqual(periods.map((p) => p.period));
    expect(await dt.hrmRecords.roster(['r1', 'r2', 'r3'])).toEqual([
      { userId: 'r1', status: 3, regularDate: '2026-03-01' },
      { userId: 'r2', status: 2, regularDate: null },
    ]);
    expect(await dt.hrmRecords.dismissions(['r1', 'r3'])).toEqual([
      { userId: 'r3', lastWorkDay: new Date(1_790_000_000_000), preStatus: 3 },
    ]);
    expect(await dt.hrmRecords.userIdByMobile('13611110002')).toBe('r2');
    // A former employee is no longer found by mobile; nobody at all is null, not an error.
    expect(await dt.hrmRecords.userIdByMobile('13611110003')).toBeNull();
    expect(await dt.hrmRecords.userIdByMobile('13999999999')).toBeNull();
  });

  it('retries throttling twice, then fails with the throttle error', async () => {
    await sb.client.hrmFail({ count: 2, kind: 'throttle' });
    expect(await dt.hrmRecords.roster(['r1'])).toHaveLength(1);
    await sb.client.hrmFail({ count: 3, kind: 'throttle' });
    await expect(dt.hrmRecords.roster(['r1'])).rejects.toMatchObject({
      name: 'DingTalkError',
      kind: 'throttle',
    });
  });
});
