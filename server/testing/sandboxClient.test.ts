import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG } from '../kernel/db/seeds/demoCompany';
import { startTestSandbox, type TestSandbox } from './sandbox';
import { SandboxHookError } from './sandboxClient';

/** The HTTP hooks the tests rely on: answers, bad input, and the clock that expires codes. */
describe('sandbox client over HTTP', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => sb?.close());

  it('issues auth codes for members only; an unknown userid is a 404 the client reports', async () => {
    expect(await sb.client.issueAuthCode('hr01')).toMatch(/^[0-9a-f]{32}$/);
    const err = await sb.client.issueAuthCode('nobody').catch((e) => e);
    expect(err).toBeInstanceOf(SandboxHookError);
    expect(err).toMatchObject({ status: 404, path: '/api/sandbox/authcodes' });
  });

  it('the clock hook moves the sandbox clock and refuses a non-integer offset', async () => {
    const before = await (await fetch(`${sb.url}/api/sandbox/clock`)).json();
    await sb.client.setClockOffset(3_600_000);
    const after = await (await fetch(`${sb.url}/api/sandbox/clock`)).json();
    expect(after.offsetMs).toBe(3_600_000);
    expect(after.now - before.now).toBeGreaterThanOrEqual(3_600_000);
    await expect(sb.client.setClockOffset(1.5)).rejects.toMatchObject({ status: 400 });
    // Unchanged by the refused call; then back to real time.
    expect((await (await fetch(`${sb.url}/api/sandbox/clock`)).json()).offsetMs).toBe(3_600_000);
    await sb.client.setClockOffset(0);
  });

  it('an auth code works now but not once the sandbox clock is past its 5 minutes', async () => {
    const { access_token } = await (
      await fetch(`${sb.url}/gettoken?appkey=${DEMO_ORG.appKey}&appsecret=${DEMO_ORG.appSecret}`)
    ).json();
    const userinfo = async (code: string) =>
      (
        await (
          await fetch(`${sb.url}/topapi/v2/user/getuserinfo?access_token=${access_token}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ code }),
          })
        ).json()
      ).errcode;
    expect(await userinfo(await sb.client.issueAuthCode('int01'))).toBe(0);
    const code = await sb.client.issueAuthCode('int01');
    await sb.client.setClockOffset(5 * 60_000 + 1000);
    try {
      expect(await userinfo(code)).not.toBe(0);
    } finally {
      await sb.client.setClockOffset(0);
    }
  });

  it('reads nothing that is not there: no OSS object, no messages, no forms', async () => {
    expect(await sb.client.ossObject('interviews/none.webm')).toBeNull();
    expect(await sb.client.chatMessages()).toEqual([]);
    expect(await sb.client.clearApprovalForms()).toBe(0);
    expect((await sb.client.approvals()).instances).toEqual([]);
    expect(await sb.client.ossSettings()).toMatchObject({ bucket: expect.any(String) });
  });

  it('bad hook input is a 400 with the hook named, and nothing is registered', async () => {
    const err = await sb.client.registerTranscript({ match: '', text: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(SandboxHookError);
    expect(err.status).toBe(400);
    expect(err.message).toContain('/api/sandbox/asr/transcripts');
    await expect(sb.client.configureEvents({ copies: 0 })).rejects.toMatchObject({ status: 400 });
    expect((await sb.client.events()).subscription.copies).toBe(1);
  });
});
