import { describe, expect, it } from 'vitest';
import { BUILT_IN_COMPETENCIES } from '../scoring';
import { chooseFollowUp, isBehavioural } from './rules';

const ps = (lang: 'zh' | 'en') => [{ name: '问题解决', indicators: BUILT_IN_COMPETENCIES.问题解决[lang] }];
const ZH_Q = '请讲一次你解决复杂问题的经历。';
const EN_Q = 'Tell me about a time you solved a hard problem.';

describe('chooseFollowUp (Chinese)', () => {
  const choose = (transcript: string) =>
    chooseFollowUp({ question: ZH_Q, competencies: ps('zh'), transcript, language: 'zh' });

  it('asks for a specific example when the answer is opinion only', () => {
    const c = choose('我觉得遇到问题最重要的是冷静，先找到根本原因，再想办法解决，这样效率最高。');
    expect(c?.gap).toBe('example');
    expect(c?.text).toContain('具体例子');
  });
  it('asks what was done when the answer has a situation and a result but no action', () => {
    expect(
      choose('去年我们的支付接口大量失败，影响了很多用户。后来问题解决了，失败率从5%降到了0.1%。')?.gap,
    ).toBe('action');
  });
  it("asks for the candidate's own part when only the team acted", () => {
    const c = choose(
      '去年我们团队遇到了严重的性能问题，大家一起加班排查，用了两周，接口耗时从2秒降到了200毫秒。',
    );
    expect(c?.gap).toBe('role');
    expect(c?.text).toContain('你本人');
  });
  it('asks for the result when actions end without an outcome', () => {
    expect(
      choose(
        '去年订单系统经常超时，我先看了监控，定位到慢查询，然后我对比了加索引和加缓存两个方案，选择了加索引。',
      )?.gap,
    ).toBe('result');
  });
  it('asks for figures when the outcome has none', () => {
    expect(
      choose(
        '有一次推荐点击率下滑，我分析了用户数据，定位到排序策略的原因，我推动回滚，点击率恢复了，还提升了一些。',
      )?.gap,
    ).toBe('numbers');
  });
  it('does not count "一次" ("once") as a figure', () => {
    expect(choose('有一次我负责季度冲刺，我把目标拆给每个人，每周开一次会，最后业绩好了很多。')?.gap).toBe(
      'numbers',
    );
  });
  it('asks about an indicator the complete story never touches, naming it', () => {
    const c = choose(
      '有一次线上内存泄漏，我用内存快照定位到根本原因是缓存没有过期时间，我加了过期策略，内存从8G降到了2G。',
    );
    expect(c).toMatchObject({ gap: 'indicator', competency: '问题解决' });
    expect(['提出并比较多个方案', '复盘并预防再次发生']).toContain(c?.indicator);
    expect(c?.text).toContain(`“${c?.indicator}”`);
  });
  it('asks nothing of a complete answer, or of one too short to judge', () => {
    expect(
      choose(
        '去年支付接口大量超时，我先看监控定位到根本原因是慢查询，我对比了加索引和加缓存两个方案，选了加索引，用压测数据验证，失败率从5%降到0.1%，之后我复盘并加了慢查询告警，预防再次发生。',
      ),
    ).toBeNull();
    expect(choose('不知道')).toBeNull();
    expect(choose('')).toBeNull();
  });
});

describe('chooseFollowUp (English)', () => {
  const choose = (transcript: string) =>
    chooseFollowUp({ question: EN_Q, competencies: ps('en'), transcript, language: 'en' });

  it('asks for a specific example when the answer is opinion only', () => {
    expect(
      choose('I think the key is to stay calm, find the root cause and then fix it properly every time.')
        ?.gap,
    ).toBe('example');
  });
  it('asks what was done when nobody acts in the answer', () => {
    expect(
      choose(
        'Last year our payment API was failing and many users were affected. Later it was solved and failures went from 5% to 0.1%.',
      )?.gap,
    ).toBe('action');
  });
  it('asks for the own part when only "we" acted', () => {
    expect(
      choose(
        'Last year we had a serious latency problem. We all worked late for two weeks and we fixed it, from 2 seconds to 200 ms.',
      )?.gap,
    ).toBe('role');
  });
  it('asks for the result when the story stops at the actions', () => {
    expect(
      choose(
        'Last year checkout kept timing out. I looked at the traces, found a slow query, compared an index with a cache and chose the index.',
      )?.gap,
    ).toBe('result');
  });
  it('asks for figures when the outcome has none', () => {
    expect(
      choose(
        'Once our click-through rate dropped. I analyzed the data, found the ranking rule was the cause, rolled it back and the rate recovered.',
      )?.gap,
    ).toBe('numbers');
  });
  it('asks nothing of a complete answer', () => {
    expect(
      choose(
        'Last year checkout timed out. I traced it and identified the root cause, a slow query. I compared alternative solutions, an index and a cache, and verified the fix with data: errors fell from 5% to 0.1%. I then added an alert to prevent recurrence.',
      ),
    ).toBeNull();
  });
  it('skips the STAR checks for a knowledge question and asks for the missing point', () => {
    const c = chooseFollowUp({
      question: 'What is the difference between a constructor and a function?',
      competencies: [
        {
          name: 'knowledge',
          indicators: ['constructors have no return type', 'a function must be called explicitly'],
        },
      ],
      transcript: 'A function must be called explicitly by the code that uses it, whenever it is needed.',
      language: 'en',
    });
    expect(c).toMatchObject({ gap: 'indicator', indicator: 'constructors have no return type' });
  });
});

describe('isBehavioural', () => {
  it('tells experience questions from knowledge questions in both languages', () => {
    expect(isBehavioural('讲一次你和同事意见不一致的经历')).toBe(true);
    expect(isBehavioural('Describe a time you missed a deadline.')).toBe(true);
    expect(isBehavioural('库存成本的构成有哪些？')).toBe(false);
    expect(isBehavioural('What is a pointer?')).toBe(false);
  });
});
