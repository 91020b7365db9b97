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
