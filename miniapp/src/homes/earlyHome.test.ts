import { describe, expect, it } from 'vitest';
import type { InterviewOverview } from '../../../shared/api/interview';
import { CANDIDATE_ME } from '../auth/meFixture';
import { translate } from '../i18n';
import { type EarlyReads, earlyHome, earlyHomeHtml } from './earlyHome';

const NOW = Date.parse('2026-12-05T08:00:00Z');

const me = CANDIDATE_ME;

const overview = {
  company: '云杉科技',
  job: { id: 3, title: '后端工程师' },
  questionCount: 3,
  expectedMinutes: 11,
  deadlineAt: '2026-12-10T15:59:00Z',
  takeMode: 'anytime',
  start: { now: true, reason: null },
  session: null,
} as unknown as InterviewOverview;

/** The four reads answered as given (200 unless a status is given). */
function reads(over: Partial<Record<keyof EarlyReads, { status: number; body?: unknown }>> = {}): EarlyReads {
  const ok = (body: unknown) => ({ status: 200, body });
  return {
    me: over.me ? { body: null, ...over.me } : ok({ me }),
    overview: over.overview ? { body: null, ...over.overview } : ok(overview),
    bookings: over.bookings ? { body: null, ...over.bookings } : ok({ items: [], applications: [] }),
    feedback: over.feedback ? { body: null, ...over.feedback } : ok({ items: [] }),
  };
}

describe('the early-painted candidate home', () => {
  it('says what React will: the step, its words and the deadline in the UI language', () => {
    const zh = earlyHome(reads(), 'zh-CN', false, NOW);
    expect(zh?.step).toBe('start');
    expect(zh?.title).toBe(translate('zh-CN', 'home.title.candidate'));
    expect(zh?.greeting).toBe('你好，张三');
    expect(zh?.roleLabels).toEqual(['候选人']);
    expect(zh?.card.title).toBe('现在就可以开始 AI 面试');
    expect(zh?.card.body).toContain('共 3 道题，约 11 分钟');
    expect(zh?.card.job).toBe('云杉科技 · 后端工程师');
    expect(zh?.card.deadline).toMatch(/^截止时间：2026\/12\/1[01] \d\d:59（.+）（还剩 6 天）$/);
    expect(zh?.card.actions.map((a) => [a.kind, a.to])).toEqual([['primary', '/interview']]);

    // English chosen on this device (the profile says Chinese): English, as React will draw.
    const en = earlyHome(reads(), 'en', true, NOW);
    expect(en?.card.title).toBe('You can start your AI interview now');
    expect(en?.card.deadline).toMatch(/^Deadline: 1[01]\/12\/2026, \d\d:59 \(.+\) \(6 days left\)$/);
    expect(en?.greeting).toBe('Hello, 张三');
  });

  it('no interview (404) is the "none" step; released feedback wins over the interview', () => {
    expect(earlyHome(reads({ overview: { status: 404 } }), 'zh-CN', false, NOW)?.step).toBe('none');
    const feedback = reads({ feedback: { status: 200, body: { items: [{ id: 1 }] } } });
    const home = earlyHome(feedback, 'zh-CN', false, NOW);
    expect(home?.step).toBe('feedback');
    expect(home?.card.deadline).toBeNull();
  });

  it('paints nothing where React would draw something else', () => {
    // A failed read: React shows an error (or signs out), not this card.
    expect(earlyHome(reads({ me: { status: 401 } }), 'zh-CN', false, NOW)).toBeNull();
    expect(earlyHome(reads({ overview: { status: 500 } }), 'zh-CN', false, NOW)).toBeNull();
    expect(earlyHome(reads({ bookings: { status: 503 } }), 'zh-CN', false, NOW)).toBeNull();
    // An employee's home is another screen.
    const hr = { ...me, kind: 'employee', roles: ['hr'], home: 'hr' };
    expect(earlyHome(reads({ me: { status: 200, body: { me: hr } } }), 'zh-CN', false, NOW)).toBeNull();
    // The profile's language, none chosen here: React switches to it, so the words would change.
    const english = { ...me, locale: 'en' };
    expect(earlyHome(reads({ me: { status: 200, body: { me: english } } }), 'zh-CN', false, NOW)).toBeNull();
    // Closed: its reason's text is in the error catalogue, not loaded yet.
    const withdrawn = { ...overview, session: { id: 1, status: 'withdrawn', answered: 0 } };
    expect(earlyHome(reads({ overview: { status: 200, body: withdrawn } }), 'zh-CN', false, NOW)).toBeNull();
  });

  it("escapes other people's text in the markup", () => {
    const evil = { ...me, name: '<img src=x onerror=alert(1)>', department: 'R&D "x"' };
    const home = earlyHome(
      reads({
        me: { status: 200, body: { me: evil } },
        overview: { status: 200, body: { ...overview, company: '<b>Co</b>' } },
      }),
      'zh-CN',
      false,
      NOW,
    );
    if (!home) throw new Error('expected a home');
    const html = earlyHomeHtml(home);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('R&amp;D &quot;x&quot;');
    // No test ids: tests and people act on React's card only.
    expect(html).not.toContain('data-testid');
  });
});
