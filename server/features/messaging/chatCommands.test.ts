import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../../bot/commands';
import { Application } from '../../kernel/db/entities/Application';
import { BotInboundMessage } from '../../kernel/db/entities/BotInboundMessage';
import { Job } from '../../kernel/db/entities/Job';
import { User } from '../../kernel/db/entities/User';
import { dingTalkSign } from '../../kernel/integrations/dingtalk/messages';
import { createStream } from '../../kernel/integrations/dingtalk/stream';
import { enqueue } from '../../kernel/outbox/enqueue';
import { makeApplication, makeCandidate } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { verifyRobotSign } from './chatCommands';
import { robotStream } from './robotStream';

describe('command parsing', () => {
  it('understands Chinese and English, tolerates spaces, slashes and case; anything else is unknown', () => {
    expect(parseCommand(' 帮助 ')).toEqual({ name: 'help' });
    expect(parseCommand('HELP')).toEqual({ name: 'help' });
    expect(parseCommand('/today')).toEqual({ name: 'today' });
    expect(parseCommand('今日面试')).toEqual({ name: 'today' });
    expect(parseCommand('待办')).toEqual({ name: 'pending' });
    expect(parseCommand('Pending')).toEqual({ name: 'pending' });
    expect(parseCommand('候选人 张三')).toEqual({ name: 'candidate', query: '张三' });
    expect(parseCommand('候选人：李四')).toEqual({ name: 'candidate', query: '李四' });
    expect(parseCommand('candidate  Zhang San')).toEqual({ name: 'candidate', query: 'Zhang San' });
    expect(parseCommand('我的面试')).toEqual({ name: 'my_interview' });
    expect(parseCommand('my interview')).toEqual({ name: 'my_interview' });
    expect(parseCommand('候选人')).toEqual({ name: 'unknown', text: '候选人' });
    expect(parseCommand('你好')).toEqual({ name: 'unknown', text: '你好' });
  });

  it('verifies the callback sign and refuses stale timestamps', () => {
    const now = 1_700_000_000_000;
    const ts = String(now - 1000);
    const sign = dingTalkSign('secret', ts);
    expect(verifyRobotSign('secret', ts, sign, now)).toBe(true);
    expect(verifyRobotSign('other', ts, sign, now)).toBe(false);
    expect(verifyRobotSign('secret', ts, sign, now + 3600_000)).toBe(false);
    expect(verifyRobotSign('secret', '', sign, now)).toBe(false);
  });
});

describeEachDialect('chat commands', (dialect) => {
  let t: TestApp;
  let n = 0;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());
  /** Types a message as `userid` in the sandbox (HTTP callback mode) and waits for the bot's replies. */
  async function say(
    userid: string,
    text: string,
    opts: { deliveries?: number; msgId?: string; expect?: number } = {},
  ) {
    const conversation = `user:${userid}`;
    const before = (await t.sandbox.chatMessages()).filter(
      (m) => m.conversation === conversation && m.via === 'session',
    ).length;
    const res = await fetch(`${t.sandbox.url}/api/sandbox/chat/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        userid,
        text,
        callbackUrl: `${t.url}/api/dingtalk/robot`,
        transport: 'http',
        msgId: opts.msgId ?? `m-${++n}`,
        deliveries: opts.deliveries,
      }),
    });
    expect(res.status).toBe(200);
    const want = before + (opts.expect ?? 1);
    for (let i = 0; i < 100; i++) {
      if (
        (await t.sandbox.chatMessages()).filter((m) => m.conversation === conversation && m.via === 'session')
          .length >= want
      )
        break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 50)); // let any extra (wrong) reply arrive
    return (await t.sandbox.chatMessages())
      .filter((m) => m.conversation === conversation && m.via === 'session')
      .slice(before);
  }

  it('rejects unsigned, badly signed and stale callbacks', async () => {
    const body = { msgtype: 'text', text: { content: 'help' }, msgId: 'x1' };
    expect((await t.api('POST', '/api/dingtalk/robot', { body })).status).toBe(401);
    const ts = String(Date.now());
    const bad = await t.api('POST', '/api/dingtalk/robot', {
      body,
      headers: { timestamp: ts, sign: dingTalkSign('wrong', ts) },
    });
    expect(bad.body.error.code).toBe('bad_robot_sign');
    const old = String(Date.now() - 2 * 3600_000);
    const stale = await t.api('POST', '/api/dingtalk/robot', {
      body,
      headers: { timestamp: old, sign: dingTalkSign(t.config.dingtalk.appSecret, old) },
    });
    expect(stale.status).toBe(401);
    const noId = await t.api('POST', '/api/dingtalk/robot', {
      body: { msgtype: 'text' },
      headers: { timestamp: ts, sign: dingTalkSign(t.config.dingtalk.appSecret, ts) },
    });
    expect(noId.status).toBe(400);
    expect(await t.orm.em.fork().count(BotInboundMessage, {})).toBe(0);
  });

  it('help in the language typed; unknown text gets help', async () => {
    const [zh] = await say('int01', '帮助');
    expect(zh.text).toContain('今日面试');
    const [en] = await say('int01', 'help');
    expect(en.text).toContain('my interviews today');
    const [unknown] = await say('int01', '你好呀');
    expect(unknown.text).toContain('没有听懂');
    expect(unknown.text).toContain('候选人 <姓名>');
  });

  it('the same msgId delivered three times is answered once', async () => {
    const replies = await say('int02', '帮助', { deliveries: 3, msgId: 'dup-1', expect: 1 });
    expect(replies).toHaveLength(1);
    expect(await t.orm.em.fork().count(BotInboundMessage, { msgId: 'dup-1' })).toBe(1);
    // Redelivered later: still nothing new.
    expect(await say('int02', '帮助', { msgId: 'dup-1', expect: 0 })).toHaveLength(0);
  });

  it('candidate summaries only for people who may see the candidate; others get a polite refusal', async () => {
    const [hr] = await say('hr01', '候选人 张三');
    expect(hr.text).toContain('张三');
    expect(hr.text).toContain('高级后端工程师');
    expect(hr.text).not.toContain('13900000001'); // no contact details in chat
    const [mgr] = await say('mgr01', '候选人 张三');
    expect(mgr.text).toContain('张三');
    const [other] = await say('int03', '候选人 张三');
    expect(other.text).toBe('抱歉，您没有查看该候选人的权限。如需了解，请联系 HR。');
    const [unknownName] = await say('int03', 'candidate Nobody');
    expect(unknownName.text).toBe("Sorry, you don't have access to this candidate. Please ask HR.");
    // A manager of another department: "exists but not yours" and "no such candidate" read the same.
    const [notMine] = await say('mgr01', '候选人 郑小红');
    const [nobody] = await say('mgr01', '候选人 无此人');
    expect(notMine.text).toBe('抱歉，您没有查看该候选人的权限。如需了解，请联系 HR。');
    expect(nobody.text).toBe(notMine.text);
    expect(nobody.title ?? '').toBe(notMine.title ?? '');
    // HR, who may see everyone, is told plainly that nobody matches.
    const [hrNobody] = await say('hr01', '候选人 无此人');
    expect(hrNobody.text).toBe('没有找到匹配的候选人。');
    // A name written as markdown is shown as text: no link, no emphasis, no new line.
    const em0 = t.orm.em.fork();
    const job = await em0.findOneOrFail(Job, { slug: 'backend' });
    const evil = await makeCandidate(t.orm, { name: '恶意](http://evil.example)**\n# x' });
    await makeApplication(t.orm, { candidate: evil, job, stage: 'invited' });
    const [shown] = await say('hr01', '候选人 恶意');
    expect(shown.text).toContain('恶意］（http://evil.example）＊＊ ＃ x');
    expect(shown.text).not.toContain('](');
    expect(shown.text).not.toMatch(/\n#/);
    // Once int03 is assigned to interview 张三, the summary is allowed.
    const em = t.orm.em.fork();
    const app = await em.findOneOrFail(Application, { candidate: { name: '张三' } });
    await em.transactional((tx) =>
      enqueue(tx, {
        key: `test:assign:${app.id}:int03`,
        topic: 'interviewer.assignment',
        aggregate: `application:${app.id}`,
        recipient: { kind: 'employee', id: 'int03' },
        channel: 'robot_oto',
        payload: { message: { title: 'x', text: 'x', buttons: [] } },
        dueAt: new Date(Date.now() + 3600_000),
      }),
    );
    const [assigned] = await say('int03', '候选人 张三');
    expect(assigned.text).toContain('**张三**');
  });

  it("today, pending and my interview answer from the asker's own data", async () => {
    const em = t.orm.em.fork();
    const start = new Date(Date.now() + 2 * 3600_000);
    await em.transactional((tx) =>
      enqueue(tx, {
        key: `test:today:int04`,
        topic: 'reminder.interviewer.30m',
        aggregate: 'booking:9001',
        recipient: { kind: 'employee', id: 'int04' },
        channel: 'robot_oto',
        payload: {
          template: 'interviewer.reminder',
          data: {
            startAt: start.toISOString(),
            timezone: 'Asia/Shanghai',
            kind: 'second_round',
            candidateName: '孙八',
            jobTitle: '产品经理',
            applicationId: 1,
            minutesBefore: 30,
          },
        },
        dueAt: new Date(start.getTime() - 30 * 60_000),
      }),
    );
    const [today] = await say('int04', '今日面试');
    // Same Shanghai date unless the test runs right around midnight there.
    expect(today.text.includes('孙八') || today.text.includes('今天没有安排面试。')).toBe(true);
    const [none] = await say('int02', 'today');
    expect(none.text).toContain('No interviews today.');
    const [pending] = await say('int02', '待办');
    expect(pending.text).toContain('没有待办事项。');
    const [notCandidate] = await say('int02', '我的面试');
    expect(notCandidate.text).toBe('您目前没有进行中的应聘。');
    // int02 applies internally for another job.
    const u = await em.findOneOrFail(User, { dingtalkUserId: 'int02' });
    const job = await em.findOneOrFail(Job, { slug: { $ne: 'backend' } });
    const candidate = await makeCandidate(em, { unionId: u.unionId, name: u.name });
    await makeApplication(em, { candidate, job });
    const [mine] = await say('int02', 'my interview');
    expect(mine.text).toContain(job.title);
  });

  it('is rate-limited per user: after the limit one notice, then silence', async () => {
    const limit = t.config.notifications.commandsPerMinute;
    let answers = 0;
    for (let i = 0; i < limit; i++) answers += (await say('mgr02', 'help')).length;
    expect(answers).toBe(limit);
    const [notice] = await say('mgr02', 'help');
    expect(notice.text).toBe('Too many messages; please try again in a minute.');
    expect(await say('mgr02', 'help', { expect: 0 })).toHaveLength(0);
    // Someone else is not affected.
    expect(await say('hr02', 'help')).toHaveLength(1);
  });

  it('Stream mode: TOPIC_ROBOT frames are acked and answered once through the sessionWebhook', async () => {
    const stream = createStream(
      {
        clientId: t.config.dingtalk.appKey,
        clientSecret: t.config.dingtalk.appSecret,
        gatewayUrl: t.config.dingtalk.streamGatewayUrl,
      },
      null,
    );
    stream.onCallback(robotStream.topic, (frame) => robotStream.handle(frame.data, t.deps));
    await stream.connect();
    try {
      let sent: { transport: string; delivered: number } | null = null;
      for (let i = 0; i < 50; i++) {
        const r = await fetch(`${t.sandbox.url}/api/sandbox/chat/send`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            userid: 'hr02',
            text: '待办',
            transport: 'stream',
            msgId: 'stream-1',
            deliveries: 2,
          }),
        });
        sent = await r.json();
        if (sent?.delivered) break;
        await new Promise((res) => setTimeout(res, 100)); // socket still registering
      }
      expect(sent).toMatchObject({ transport: 'stream', delivered: 2 });
      for (
        let i = 0;
        i < 100 &&
        !(await t.sandbox.chatMessages()).some(
          (m) => m.conversation === 'user:hr02' && m.text.includes('没有待办事项。'),
        );
        i++
      )
        await new Promise((res) => setTimeout(res, 20));
      await new Promise((res) => setTimeout(res, 100));
      expect(
        (await t.sandbox.chatMessages()).filter(
          (m) => m.conversation === 'user:hr02' && m.text.includes('没有待办事项。'),
        ),
      ).toHaveLength(1);
    } finally {
      stream.close();
    }
  });
});
