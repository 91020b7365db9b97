import { describe, expect, it } from 'vitest';
import {
  type BotLocale,
  escapeMarkdown,
  formatWhen,
  renderMessage,
  type TemplateData,
  type TemplateName,
} from './messages';

/** A name written to break out of markdown: a link, an image, emphasis, a heading on a new line, HTML. */
const EVIL =
  '张三](http://evil.example)**![x](http://t.example/p.png)\n# 标题 <font color=red>x</font> `code` _u_ |t| ~s~';
const slot = { startAt: '2026-12-07T02:00:00Z', endAt: '2026-12-07T03:00:00Z', timezone: 'Asia/Shanghai' };

/** One sample per template, with hostile text in every user-controlled field (all templates: a new one must be added here). */
const SAMPLES: { [K in TemplateName]: TemplateData[K] } = {
  'candidate.invitation': {
    candidateName: EVIL,
    jobTitle: EVIL,
    deadlineAt: '2026-12-20T00:00:00Z',
    link: '/invite#tok',
    timezone: 'Asia/Shanghai',
  },
  'candidate.booking_confirmed': {
    ...slot,
    kind: 'ai_interview',
    jobTitle: EVIL,
    bookingId: 1,
    icsUrl: '/api/bookings/ics/signed',
  },
  'candidate.booking_cancelled': {
    ...slot,
    kind: 'ai_interview',
    jobTitle: EVIL,
    applicationId: 1,
    reason: EVIL,
  },
  'candidate.reminder': { ...slot, kind: 'second_round', jobTitle: EVIL, bookingId: 1, minutesBefore: 60 },
  'candidate.deadline_nudge': {
    jobTitle: EVIL,
    deadlineAt: '2026-12-20T00:00:00Z',
    timezone: 'Asia/Shanghai',
    applicationId: 1,
    hoursLeft: 24,
  },
  'candidate.no_show': { jobTitle: EVIL, rescheduleLink: '/applications/1?rebook=x' },
  'candidate.answers_received': { jobTitle: EVIL },
  'candidate.feedback': { jobTitle: EVIL, feedback: `第一条：${EVIL}\n第二条：[点我](http://evil.example)` },
  'candidate.offer': { jobTitle: EVIL, applicationId: 1 },
  'candidate.followups': { jobTitle: EVIL, count: 2 },
  'interviewer.outline': {
    ...slot,
    kind: 'second_round',
    candidateName: EVIL,
    jobTitle: EVIL,
    bookingId: 1,
    count: 6,
    questions: [{ question: EVIL }],
  },
  'interviewer.assignment': {
    ...slot,
    kind: 'second_round',
    candidateName: EVIL,
    jobTitle: EVIL,
    bookingId: 1,
    applicationId: 1,
  },
  'interviewer.booking_cancelled': { ...slot, kind: 'second_round', candidateName: EVIL, jobTitle: EVIL },
  'interviewer.reminder': {
    ...slot,
    kind: 'second_round',
    candidateName: EVIL,
    jobTitle: EVIL,
    applicationId: 1,
    minutesBefore: 30,
  },
  'interviewer.urgent': {
    ...slot,
    kind: 'second_round',
    candidateName: EVIL,
    jobTitle: EVIL,
    applicationId: 1,
    minutesBefore: 15,
  },
  'interviewer.report_ready': { candidateName: EVIL, jobTitle: EVIL, applicationId: 1, reportId: 1 },
  'interviewer.digest': {
    date: '2026-12-07',
    interviews: [{ time: '10:00', candidateName: EVIL, jobTitle: EVIL }],
    pendingReviews: 1,
  },
  'approval.waiting': {
    kind: 'offer',
    candidateName: EVIL,
    jobTitle: EVIL,
    applicationId: 1,
    approvalId: 1,
    hoursWaiting: 24,
  },
  'hiring.high_score': { candidateName: EVIL, jobTitle: EVIL, overall: 90, applicationId: 1, reportId: 1 },
  'hr.pipeline_digest': {
    date: '2026-12-07',
    changes: [{ candidateName: EVIL, jobTitle: EVIL, from: 'invited', to: 'booked' }],
  },
  'analytics.weekly_digest': {
    date: '2026-12-07',
    jobTitle: EVIL,
    applicants: 12,
    newThisWeek: 3,
    secondRound: 4,
    hires: 1,
    medianDaysToHire: 21.5,
    open: 6,
  },
  'hr.delivery_failures': { count: 1, examples: [{ topic: 't', recipient: EVIL, error: EVIL }] },
  'candidate.request_answered': { jobTitle: EVIL, kind: 'explanation', granted: null, answer: EVIL },
  'hr.queue_due': {
    items: [{ kind: '候选人请求解释', candidateName: EVIL, dueAt: '2026-12-09T02:00:00Z' }],
    timezone: 'Asia/Shanghai',
  },
  'hr.agreement_alert': {
    week: '2026-12-07',
    items: [{ jobTitle: EVIL, competency: EVIL, flags: ['drift'], n: 12, qwk: 0.3, earlierQwk: 0.7 }],
  },
};

describe('user-controlled text in bot messages is inert markdown', () => {
  it('escapeMarkdown turns markdown characters into look-alikes and line breaks into spaces', () => {
    const out = escapeMarkdown('[a](http://x) **b** ![i](u)\n# h <b>');
    expect(out).toBe('［a］（http://x） ＊＊b＊＊ ！［i］（u） ＃ h ＜b＞');
    expect(escapeMarkdown('a\nb', { multiline: true })).toBe('a\nb');
    expect(escapeMarkdown('王小明 Tom-Lee 3.5')).toBe('王小明 Tom-Lee 3.5');
  });

  for (const template of Object.keys(SAMPLES) as TemplateName[]) {
    for (const locale of ['zh-CN', 'en'] as BotLocale[]) {
      it(`${template} (${locale})`, () => {
        const m = renderMessage(template, SAMPLES[template] as never, locale);
        for (const part of [m.title, m.text]) {
          expect(part).not.toContain('](');
          expect(part).not.toContain('![');
          expect(part).not.toContain('<font');
          expect(part).not.toContain('`');
          expect(part).not.toMatch(/\n#/);
          expect(part).not.toContain('**![');
        }
        // The person's text is still there to read.
        if (JSON.stringify(SAMPLES[template]).includes('张三'))
          expect(`${m.title}${m.text}`).toContain('张三');
      });
    }
  }
});

describe('times in messages', () => {
  it("each recipient's time zone, whichever zone was formatted before (what is built per zone is kept)", () => {
    const at = '2026-03-02T06:30:00.000Z';
    for (let i = 0; i < 2; i++) {
      expect(formatWhen(at, 'Asia/Shanghai', 'zh-CN')).toBe('2026-03-02 14:30（Asia/Shanghai）');
      expect(formatWhen(at, 'America/New_York', 'en')).toBe('2026-03-02 01:30 (America/New_York)');
      expect(formatWhen('2026-07-01T23:59:00.000Z', 'Asia/Tokyo', 'en')).toBe(
        '2026-07-02 08:59 (Asia/Tokyo)',
      );
    }
    expect(() => formatWhen(at, 'Mars/Olympus', 'en')).toThrow(RangeError);
    expect(() => formatWhen('not a time', 'Asia/Shanghai', 'en')).toThrow(RangeError);
  });
});
