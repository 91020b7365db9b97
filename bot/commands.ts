/**
 * Chat commands typed to the robot, in Chinese and English. Pure: parsing and the wording of
 * answers; the server loads the facts and checks permissions before calling the answer builders.
 */
import type { BotLocale, BotMessage } from './messages';

/** A parsed command. */
export type BotCommand =
  | { name: 'help' }
  | { name: 'today' }
  | { name: 'pending' }
  | { name: 'candidate'; query: string }
  | { name: 'my_interview' }
  | { name: 'unknown'; text: string };

/** The language the user typed in decides the answer's language. */
export function localeOfText(text: string): BotLocale {
  return /[\u4e00-\u9fff]/.test(text) ? 'zh-CN' : 'en';
}

/**
 * Parses a chat message. Group messages start with "@robot"; DingTalk strips the mention but
 * leaves spaces, so text is trimmed. Matching is case-insensitive and tolerates full-width
 * spaces and a leading slash.
 */
export function parseCommand(raw: string): BotCommand {
  const text = raw
    .replace(/\u3000/g, ' ')
    .trim()
    .replace(/^[/／]/, '')
    .trim();
  const lower = text.toLowerCase();
  if (/^(帮助|help|\?|？)$/.test(lower)) return { name: 'help' };
  if (/^(今日面试|今天面试|today)$/.test(lower)) return { name: 'today' };
  if (/^(待办|pending|todo)$/.test(lower)) return { name: 'pending' };
  if (/^(我的面试|my\s+interviews?)$/.test(lower)) return { name: 'my_interview' };
  const cand = /^(候选人|candidate)\s*[:：]?\s*(.+)$/i.exec(text);
  if (cand) return { name: 'candidate', query: cand[2].trim().slice(0, 50) };
  return { name: 'unknown', text: text.slice(0, 100) };
}

/** The help card. */
export function helpMessage(l: BotLocale, prefix = ''): BotMessage {
  const lines =
    l === 'en'
      ? [
          '**Commands**',
          '- `today`: my interviews today',
          '- `pending`: my approvals and reviews',
          '- `candidate <name>`: a candidate summary',
          '- `my interview`: my own application (candidates in the organisation)',
          '- `help`: this list',
        ]
      : [
          '**可用指令**',
          '- `今日面试`：我今天的面试',
          '- `待办`：我的审批与待评阅报告',
          '- `候选人 <姓名>`：候选人概要',
          '- `我的面试`：我自己的应聘进度（内部候选人）',
          '- `帮助`：显示本列表',
        ];
  return { title: l === 'en' ? 'Help' : '帮助', text: `${prefix}${lines.join('\n')}`, buttons: [] };
}

/** A short text answer. */
export function textMessage(title: string, text: string, buttons: BotMessage['buttons'] = []): BotMessage {
  return { title, text, buttons };
}

/** Wording of the fixed answers. */
export const ANSWERS = {
  unknownPrefix: { 'zh-CN': '没有听懂这条指令。\n\n', en: "Sorry, I didn't understand that.\n\n" },
  rateLimited: {
    'zh-CN': '消息太频繁了，请一分钟后再试。',
    en: 'Too many messages; please try again in a minute.',
  },
  notEmployee: {
    'zh-CN': '抱歉，只有本企业成员可以使用该指令。',
    en: 'Sorry, only members of the organisation can use this command.',
  },
  candidateRefused: {
    'zh-CN': '抱歉，您没有查看该候选人的权限。如需了解，请联系 HR。',
    en: "Sorry, you don't have access to this candidate. Please ask HR.",
  },
  candidateNotFound: { 'zh-CN': '没有找到匹配的候选人。', en: 'No matching candidate.' },
  noInterviewsToday: { 'zh-CN': '今天没有安排面试。', en: 'No interviews today.' },
  nothingPending: { 'zh-CN': '没有待办事项。', en: 'Nothing pending.' },
  notACandidate: {
    'zh-CN': '您目前没有进行中的应聘。',
    en: 'You have no application in progress.',
  },
} as const satisfies Record<string, Record<BotLocale, string>>;
