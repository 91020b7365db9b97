/**
 * Links per role (issue 19 item 5): every message opens the page its reader works on, and in
 * DingTalk it opens through the micro-app deep link with this app's corpId and agentId.
 * Checked in what the sandbox received, over the real channels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage } from '../../../bot/messages';
import { dingtalkAppLink, parseDingtalkAppLink } from '../../../shared/routes';
import { Application } from '../../kernel/db/entities/Application';
import { InboxMessage } from '../../kernel/db/entities/InboxMessage';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { User } from '../../kernel/db/entities/User';
import { makeReport } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { bookingEventsFor, publishWith, seededBookingParties, testWorker } from '../../testing/messaging';
import { employeeTarget, groupTarget, notify } from './recipients';
import { dingtalkButtonUrl, toRobotMessage, toWorkNotice } from './render';

const app = { corpId: 'dingcorp123', agentId: 4242 };
const links = { publicUrl: 'https://hire.example.com/', app };

describe('DingTalk deep links', () => {
  it('wrap a page of the app in the micro-app link, and read back', () => {
    const link = dingtalkAppLink(app, 'https://hire.example.com/reports/3?x=1#y');
    expect(link).toMatch(
      /^dingtalk:\/\/dingtalkclient\/action\/openapp\?corpid=dingcorp123&container_type=work_platform&app_id=0_4242&redirect_type=jump&redirect_url=https%3A%2F%2Fhire\.example\.com%2Freports%2F3%3Fx%3D1%23y$/,
    );
    expect(parseDingtalkAppLink(link)).toEqual({ ...app, url: 'https://hire.example.com/reports/3?x=1#y' });
    expect(parseDingtalkAppLink('https://hire.example.com/reports/3')).toBeNull();
    expect(parseDingtalkAppLink(link.replace('app_id=0_4242', 'app_id=4242'))).toBeNull();
  });

  it('leave downloads and other sites as plain links', () => {
    expect(parseDingtalkAppLink(dingtalkButtonUrl('/reports/3', links))?.url).toBe(
      'https://hire.example.com/reports/3',
    );
    expect(dingtalkButtonUrl('/api/bookings/ics/tok', links)).toBe(
      'https://hire.example.com/api/bookings/ics/tok',
    );
    expect(dingtalkButtonUrl('https://elsewhere.example.org/a', links)).toBe(
      'https://elsewhere.example.org/a',
    );
    // A look-alike host is not the app.
    expect(dingtalkButtonUrl('https://hire.example.com.evil.test/x', links)).toBe(
      'https://hire.example.com.evil.test/x',
    );
  });
});

describe('per-role links in each DingTalk format', () => {
  it('a work notification to an interviewer opens the report; one to a candidate in the organisation, the offer', () => {
    const ready = renderMessage(
      'interviewer.report_ready',
      { candidateName: '张三', jobTitle: '岗位', applicationId: 5, reportId: 9 },
      'zh-CN',
    );
    const card = toWorkNotice(ready, links);
    expect(card.msgtype).toBe('action_card');
    const single = (card as unknown as { action_card: { single_url: string } }).action_card.single_url;
    expect(parseDingtalkAppLink(single)?.url).toBe('https://hire.example.com/reports/9');
    const offer = toRobotMessage(
      renderMessage('candidate.offer', { jobTitle: '岗位', applicationId: 5 }, 'en'),
      links,
    );
    expect(parseDingtalkAppLink(offer.msgParam.singleURL ?? '')?.url).toBe('https://hire.example.com/offer');
    // A candidate's reminder of a live round opens their bookings; of an AI interview, the interview.
    const slot = {
      startAt: '2026-12-10T02:00:00Z',
      timezone: 'Asia/Shanghai',
      jobTitle: '岗位',
      bookingId: 1,
      minutesBefore: 60,
    };
    const live = renderMessage('candidate.reminder', { ...slot, kind: 'second_round' }, 'zh-CN');
    const ai = renderMessage('candidate.reminder', { ...slot, kind: 'ai_interview' }, 'zh-CN');
    expect(live.buttons[0].url).toBe('/bookings/mine');
    expect(ai.buttons[0].url).toBe('/interview');
  });
});

describeEachDialect('message links per role', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());

  /** The page a DingTalk button opens (its deep link checked against this app's ids). */
  const pageOf = (url: string) => {
    const parsed = parseDingtalkAppLink(url);
    expect(parsed, url).not.toBeNull();
    expect(parsed).toMatchObject({ corpId: t.config.dingtalk.corpId, agentId: t.config.dingtalk.agentId });
    return (parsed?.url ?? '').slice(t.config.publicUrl.replace(/\/+$/, '').length);
  };

  it('candidate: own pages; interviewer: the review page; HR and managers: the pipeline', async () => {
    await t.orm.em.fork().nativeUpdate(OutboxMessage, { status: 'pending' }, { status: 'cancelled' });
    await t.sandbox.chatReset();
    const { app: a, int01 } = await seededBookingParties(t);
    const em = t.orm.em.fork();
    const report = await makeReport(em, {
      application: await em.findOneOrFail(Application, { id: a.id }),
      overall: 95,
    });
    const now = new Date();
    const worker = testWorker(t, 'links-worker', () => new Date());
    const event = bookingEventsFor(
      () => a,
      () => int01.id,
    );
    await publishWith(t)(
      event(
        'booking.created',
        9001,
        `booking:9001:created:${Date.now()}`,
        new Date(now.getTime() + 3 * 86_400_000),
        now,
      ),
    );
    // HR and the manager: an approval waiting for them; the hiring group: a high score.
    const s = t.config.notifications;
    const [hr01, mgr01] = await Promise.all([
      em.findOneOrFail(User, { dingtalkUserId: 'hr01' }),
      em.findOneOrFail(User, { dingtalkUserId: 'mgr01' }),
    ]);
    await em.transactional(async (tx) => {
      await notify(tx, [employeeTarget(hr01), employeeTarget(mgr01)], {
        key: `links:${Date.now()}:approval`,
        topic: 'approval.nudge',
        aggregate: `application:${a.id}`,
        template: 'approval.waiting',
        data: {
          kind: 'second_round',
          candidateName: '张三',
          jobTitle: '岗位',
          applicationId: a.id,
          approvalId: 1,
          hoursWaiting: 4,
        },
      });
      await notify(tx, [await groupTarget(tx, a.jobId, s)], {
        key: `links:${Date.now()}:high`,
        topic: 'report.high_score',
        aggregate: `application:${a.id}`,
        template: 'hiring.high_score',
        data: {
          candidateName: '张三',
          jobTitle: '岗位',
          overall: 95,
          applicationId: a.id,
          reportId: report.id,
        },
      });
    });
    const sent = await worker.drain();
    expect(sent.failed).toBe(0);
    const chats = await t.sandbox.chatMessages();
    const to = (conversation: string) => chats.filter((m) => m.conversation === conversation);

    // The interviewer's assignment opens the report they review (not the pipeline they cannot read).
    const assignment = to('user:int01').find((m) => m.title === '新的面试安排');
    expect(assignment?.buttons.map((b) => pageOf(b.url))).toEqual([`/reports/${report.id}`]);
    // HR and the hiring manager: the pipeline's application page.
    for (const who of ['user:hr01', 'user:mgr01']) {
      const nudge = to(who).find((m) => m.title.includes('审批已等待'));
      expect(nudge?.buttons.map((b) => pageOf(b.url))).toEqual([`/pipeline/applications/${a.id}`]);
    }
    const group = chats.find((m) => m.via === 'robot_group' && m.title.startsWith('高分候选人'));
    expect(group?.buttons.map((b) => pageOf(b.url))).toEqual([
      `/reports/${report.id}`,
      `/pipeline/applications/${a.id}?action=second_round`,
    ]);
    // The candidate (outside the organisation): their own bookings in the inbox (an in-app
    // path); the .ics download stays a signed https link, never a deep link.
    const inbox = await em
      .fork()
      .find(InboxMessage, { candidate: a.candidateId, outboxKey: { $like: 'booking:9001:%' } });
    expect(inbox).toHaveLength(1);
    const buttons = inbox[0].buttons as Array<{ url: string }>;
    expect(buttons[0].url).toBe('/bookings/mine');
    expect(buttons[1].url).toMatch(/\/api\/bookings\/ics\//);
  });
});
