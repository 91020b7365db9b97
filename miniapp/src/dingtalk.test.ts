import { describe, expect, it } from 'vitest';
import { isInDingTalk, mayBeInDingTalk, type ShareApi, shareLink, shareViaDingTalk } from './dingtalk';

const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const WECHAT =
  'Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47';
const DINGTALK_ANDROID =
  'Mozilla/5.0 (Linux; U; Android 13; zh-CN; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/69.0 Mobile Safari/537.36 AliApp(DingTalk/7.5.10) com.alibaba.android.rimet/36869795 Channel/700159 language/zh-CN abi/64 UT4Aplus/0.2.25 colorScheme/light';
const DINGTALK_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 AliApp(DingTalk/7.5.10) com.laiwang.DingTalk/36810447 Channel/201200 language/zh-Hans-CN UT4Aplus/0.0.6 WK';
const DINGTALK_PC =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0 Safari/537.36 DingTalk(7.5.10-Release.20240101) nw Channel/201200';
const TAURUS =
  'Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 Chrome/100.0 Mobile Safari/537.36 TaurusApp/2.9.0';

describe('mayBeInDingTalk: whether dingtalk-jsapi is worth loading', () => {
  it('says no for ordinary browsers, where candidates open their invitations', () => {
    for (const userAgent of [CHROME_ANDROID, SAFARI_IOS, WECHAT, '']) {
      expect(mayBeInDingTalk({ userAgent, globals: {} }), userAgent).toBe(false);
    }
  });

  it('says yes for DingTalk clients on Android, iOS, PC and 专属钉钉', () => {
    for (const userAgent of [DINGTALK_ANDROID, DINGTALK_IOS, DINGTALK_PC, TAURUS]) {
      expect(mayBeInDingTalk({ userAgent, globals: {} }), userAgent).toBe(true);
    }
  });

  it('says yes when a DingTalk bridge is injected whatever the user agent says', () => {
    expect(mayBeInDingTalk({ userAgent: CHROME_ANDROID, globals: { dingtalk: { platform: {} } } })).toBe(
      true,
    );
    expect(mayBeInDingTalk({ userAgent: SAFARI_IOS, globals: { nuva: {} } })).toBe(true);
    expect(mayBeInDingTalk({ userAgent: CHROME_ANDROID, globals: { dd: { dtBridge: () => {} } } })).toBe(
      true,
    );
  });

  it('is not fooled by look-alikes', () => {
    expect(mayBeInDingTalk({ userAgent: CHROME_ANDROID, globals: { dd: {} } })).toBe(false);
    expect(mayBeInDingTalk({ userAgent: CHROME_ANDROID, globals: { dingtalk: null, nuva: 'x' } })).toBe(
      false,
    );
  });

  it('isInDingTalk answers no outside DingTalk (here: Node, no DingTalk user agent)', async () => {
    expect(await isInDingTalk()).toBe(false);
  });
});

describe('sharing: DingTalk share sheet inside DingTalk, copy-link fallback outside', () => {
  const content = {
    title: '面试邀请：产品经理',
    content: '请在截止前完成 AI 面试',
    url: 'https://hire.example.com/invite#t',
  };
  /** A stand-in for dingtalk-jsapi that records `biz.util.share` calls. */
  const fakeDd = (fail = false) => {
    const calls: unknown[] = [];
    const dd: ShareApi = {
      biz: {
        util: {
          share: async (params) => {
            calls.push(params);
            if (fail) throw { errorCode: '3', errorMessage: '用户取消' };
            return {};
          },
        },
      },
    };
    return { dd, calls };
  };

  it('calls biz.util.share with type 1 (a DingTalk chat), the link, title, text and an image field', async () => {
    const { dd, calls } = fakeDd();
    expect(await shareViaDingTalk(dd, content)).toBe(true);
    expect(calls).toEqual([
      { type: 1, url: content.url, title: content.title, content: content.content, image: '' },
    ]);
  });

  it('inside DingTalk the sheet is used and nothing is copied', async () => {
    const { dd } = fakeDd();
    const copied: string[] = [];
    const outcome = await shareLink(content, {
      dingTalk: async () => dd,
      copy: async (t) => void copied.push(t),
    });
    expect(outcome).toBe('shared');
    expect(copied).toEqual([]);
  });

  it('a closed or refused sheet, or no DingTalk at all, copies the text and link instead', async () => {
    const { dd, calls } = fakeDd(true);
    const copied: string[] = [];
    const copy = async (t: string) => void copied.push(t);
    expect(await shareLink(content, { dingTalk: async () => dd, copy })).toBe('copied');
    expect(calls).toHaveLength(1);
    expect(
      await shareLink({ ...content, copyText: '邀请全文 https://x' }, { dingTalk: async () => null, copy }),
    ).toBe('copied');
    expect(copied).toEqual([`${content.title}\n${content.content}\n${content.url}`, '邀请全文 https://x']);
  });

  it('says so when even copying fails', async () => {
    const refuse = async () => {
      throw new Error('denied');
    };
    expect(await shareLink(content, { dingTalk: async () => null, copy: refuse })).toBe('failed');
  });
});
