import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dingTalkSign } from '../../server/kernel/integrations/dingtalk/messages';
import { chatOf, SANDBOX_WEBHOOK } from './modules/robot';
import { type Sandbox, startSandbox } from './server';

describe('sandbox messaging', () => {
  let sb: Sandbox;
  let clock = Date.now();
  beforeAll(async () => {
    sb = await startSandbox({ appUrl: 'http://localhost:1', now: () => clock });
  });
  afterAll(async () => sb?.close());

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(`${sb.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json().catch(() => null)) as Record<string, unknown> };
  };
  const hook = (ts: number, secret = SANDBOX_WEBHOOK.secret) =>
    `/robot/send?access_token=${SANDBOX_WEBHOOK.accessToken}&timestamp=${ts}&sign=${encodeURIComponent(dingTalkSign(secret, ts))}`;
  const md = { msgtype: 'markdown', markdown: { title: 't', text: 'hello' } };

  it('custom webhook robot: checks token and sign (within 1 h), then throttles above 20/min for 10 minutes', async () => {
    expect((await post('/robot/send?access_token=nope', md)).body.errcode).toBe(300005);
    expect((await post(hook(clock, 'SECwrong'), md)).body.errcode).toBe(310000);
    expect((await post(hook(clock - 2 * 3600_000), md)).body.errcode).toBe(310000);
    for (let i = 0; i < 20; i++) expect((await post(hook(clock), md)).body.errcode).toBe(0);
    expect((await post(hook(clock), md)).body.errcode).toBe(660026);
    clock += 5 * 60_000; // the minute is over, but the 10-minute penalty is not
    expect((await post(hook(clock), md)).body.errcode).toBe(660026);
    clock += 6 * 60_000;
    expect((await post(hook(clock), md)).body.errcode).toBe(0);
    expect(chatOf(sb.state).messages.filter((m) => m.via === 'webhook_robot')).toHaveLength(21);
  });

  it('robot APIs need the app token; sessionWebhook replies need a live session', async () => {
    const r = await post('/v1.0/robot/oToMessages/batchSend', {
      robotCode: sb.state.org.robotCode,
      userIds: ['int01'],
      msgKey: 'sampleText',
      msgParam: '{"content":"x"}',
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('AuthenticationFailed.MissingParameter');
    expect((await post('/robot/sendBySession?session=unknown', md)).body.errcode).toBe(300001);
    expect((await post('/api/sandbox/chat/send', { userid: 'ghost', text: 'hi' })).status).toBe(400);
  });
});
