/**
 * Follow-up questions (追问) chosen by rules, without any LLM: after an answer is transcribed,
 * at most one follow-up for that question, aimed at what the answer lacks. The rules read the
 * same things the scorer reads (question, rubric, transcript) and nothing about the speaker.
 *
 * Order of the checks, most basic gap first (a reviewer asks for the missing story before the
 * missing number):
 * - behavioural questions ("讲一次…", "Tell me about a time…"): a specific example at all, then
 *   an action, then the candidate's own role ("we" only), then a result, then figures;
 * - every question: a rubric indicator the answer never touches.
 * An answer that is empty or too short to judge gets none: it goes to a person instead.
 */
import {
  type CompetencySpec,
  contentTerms,
  detectLanguage,
  EXAMPLE_MARKERS,
  hasPhrase,
  type Lang,
  OUTCOME_WORDS,
  splitSentences,
} from '../scoring';

/** Version of the rules and their phrasing; stored with every follow-up. */
export const FOLLOWUP_RULES_VERSION = 'followup-rules-1';

/** What a follow-up aims at. */
export const FOLLOWUP_GAPS = ['example', 'action', 'role', 'result', 'numbers', 'indicator'] as const;
/** One gap kind. */
export type FollowUpGap = (typeof FOLLOWUP_GAPS)[number];

/** What the rules read. */
export interface FollowUpInput {
  question: string;
  competencies: CompetencySpec[];
  transcript: string;
  language?: Lang;
  /** Behavioural (STAR checks apply) or knowledge; guessed from the question when absent. */
  kind?: 'behavioural' | 'knowledge';
}

/** The chosen follow-up. */
export interface FollowUpChoice {
  gap: FollowUpGap;
  language: Lang;
  /** The follow-up as the rules phrase it (always usable; an LLM may only rephrase it). */
  text: string;
  /** For `indicator`: the indicator never touched, and its competency. */
  indicator?: string;
  competency?: string;
  /** Why this gap, for HR and the audit (not shown to the candidate). */
  reason: string;
  rulesVersion: string;
}

const BEHAVIOURAL_RE =
  /讲一次|讲一个|讲讲|说一次|说一个|分享一次|分享一个|描述一次|举一个|举个例子|举例|经历|有没有.{0,12}过|遇到过|tell me about|describe a time|describe a situation|give (?:me )?an example|a time (?:when|you)|have you ever|walk me through|share an experience/i;

/** Whether a question asks for an experience (STAR) rather than knowledge. */
export function isBehavioural(question: string): boolean {
  return BEHAVIOURAL_RE.test(question);
}

// ---- markers (why each list: the gap it detects) -------------------------------------------

/** A situation anchored in time or place: the answer is about one real occasion. */
const SITUATION: Record<Lang, string[]> = {
  zh: [
    '有一次',
    '那次',
    '当时',
    '去年',
    '前年',
    '上个月',
    '上半年',
    '之前',
    '以前',
    '那时候',
    '项目中',
    '曾经',
  ],
  en: ['once', 'last year', 'last month', 'at the time', 'back then', 'one time', 'in my previous', 'ago'],
};

/** Past-tense English action verbs (irregular ones; regular ones end in -ed). */
const EN_PAST =
  'led|built|made|wrote|ran|took|set|found|chose|did|drove|began|sent|met|spoke|told|gave|kept|brought|sought|taught|went|got|put|cut|split|rewrote|held|ran|won|lost|sold|paid|shipped|visited|fixed|owned';
const EN_ACTION_VERB = `(?:\\w+ed|${EN_PAST})`;

/** The candidate's own action ("我先…", "I compared…"). */
const OWN_ACTION: Record<Lang, RegExp> = {
  zh: /我(?!们|觉得|认为|是|的|想|希望|会觉得)(?:先|就|还|又|也|亲自|主动|自己|马上|立刻|当时|之前)?(?:负责|带领|带着|组织|推动|设计|分析|决定|主导|采用|做了|写了|找|把|和|跟|提出|发现|定位|排查|重构|搭建|开发|沟通|协调|说服|建议|花了|用了|整理|制定|调整|对比|比较|验证|复盘|看了|拉了|去|加了|改|拆|开|访谈|调研|聊|给|用|服务|协商|谈|安排|请|约|查|跟进|打电话|写|做|学)/,
  en: new RegExp(`\\bi\\s+(?:first\\s+|then\\s+|also\\s+|personally\\s+)?${EN_ACTION_VERB}\\b`),
};

/** Something done by the team ("我们做了…", "we fixed…"): an action whose owner is unclear. */
const TEAM_ACTION: Record<Lang, RegExp> = {
  zh: /(?:我们|团队|大家|我们团队|部门)(?:一起|共同|都|一块)?(?:做了|做|加班|开发|改版|上线|解决|调整|优化|完成|推动|讨论|开会|商量|沟通|说明|分析|设计|决定|排查|重构|加了|搞|用|花了|协作|配合|找|把)/,
  en: new RegExp(
    `\\b(?:we|our team|the team|everyone)\\s+(?:all\\s+|then\\s+|also\\s+)?(?:${EN_ACTION_VERB}|worked)\\b`,
  ),
};

/** Words that state an outcome: something changed, was reached or was decided in the end. */
const RESULT: Record<Lang, string[]> = {
  zh: [
    ...OUTCOME_WORDS.zh,
    '结果',
    '效果',
    '最终',
    '成功',
    '解决了',
    '恢复',
    '签下',
    '签了',
    '做到了',
    '完成了目标',
    '降到',
    '升到',
    '上线了',
    '按时',
    '好了很多',
    '改善',
    '推迟到',
  ],
  en: [
    ...OUTCOME_WORDS.en,
    'result',
    'outcome',
    'went from',
    'fell',
    'rose',
    'recovered',
    'solved',
    'fixed it',
    'succeeded',
    'closed',
    'on time',
    'reached',
    'beating',
    'down to',
    'up to',
    'better than',
    'higher than',
    'lower than',
    'in the end',
  ],
};

/**
 * A figure: digits, percentages, or Chinese/English number words with a unit. "一次"/"一个"
 * are left out: in Chinese they usually mean "once"/"a", not a quantity.
 */
const NUMBER: Record<Lang, RegExp> = {
  zh: /\d|百分之|[两二三四五六七八九十百千万半]+(?:个|次|倍|年|月|周|天|小时|分钟|秒|人|家|万|成|季度|百分点|位)|一(?:倍|年|周|天|小时|万|半|成|百|千)/,
  en: /\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|hundred|thousand|million|twice|double|doubled|half|percent)\b/,
};

/** Opinions and habits instead of an occasion ("我觉得…", "I always…"). */
const GENERIC: Record<Lang, RegExp> = {
  zh: /我觉得|我认为|我是一个|我总是|我一般|我通常|一般来说|就是要|应该要/,
  en: /\bi think\b|\bto me\b|\bi always\b|\bi usually\b|\bi'm someone\b|\bi am someone\b|\bmeans\b|\bin general\b/,
};

// ---- phrasing ------------------------------------------------------------------------------

const PHRASES: Record<Exclude<FollowUpGap, 'indicator'>, Record<Lang, string>> = {
  example: {
    zh: '能讲一个你亲身经历的具体例子吗？当时是什么情况，你具体做了什么，结果怎样？',
    en: 'Could you give one specific example from your own experience: what the situation was, what you did and how it turned out?',
  },
  action: {
    zh: '在这件事里，具体采取了哪些行动？请按顺序讲一讲你做了什么。',
    en: 'What exactly was done to deal with it? Please walk me through the steps you took.',
  },
  role: {
    zh: '你讲了团队做的事情。其中你本人负责什么？哪些事情是你亲自做的？',
    en: 'You described what the team did. What was your own part, and what did you do yourself?',
  },
  result: {
    zh: '这件事最后的结果是什么？和之前相比有哪些变化？',
    en: 'What was the result in the end? What had changed compared with before?',
  },
  numbers: {
    zh: '你提到情况有了改善，能用具体的数字说明吗？比如改进前后分别是多少？',
    en: 'You said things improved. Can you put numbers on it, for example the figures before and after?',
  },
};

function indicatorPhrase(indicator: string, lang: Lang, behavioural: boolean): string {
  if (lang === 'zh')
    return behavioural
      ? `关于“${indicator}”，你在回答中还没有讲到。能结合刚才这件事，具体说说你是怎么做的吗？`
      : `关于这个问题，你还没有讲到“${indicator}”这一点，能补充说明一下吗？`;
  return behavioural
    ? `Your answer did not cover "${indicator}". In the situation you described, how did you go about it?`
    : `Your answer did not cover "${indicator}". Could you add something on that point?`;
}

// ---- indicator coverage --------------------------------------------------------------------

const MEASURABLE_RE = /数据|量化|衡量|指标|数字|data|measur|quantif|metric|figure/i;

/**
 * How far the answer touches an indicator, in [0, 1]. Only the indicator's distinctive terms
 * count: a term it shares with the question or with another indicator of the same competency
 * ("原则" in "安全性原则" when the question asks for 原则) says nothing about this indicator.
 * Chinese terms also count as substrings, since segmentation differs between a short indicator
 * and running speech. An indicator about data or measurement is fully touched by an answer that
 * states a result with figures: giving the before and after IS measuring the result.
 */
function coverage(
  indicator: string,
  others: string[],
  question: string,
  answerTerms: Set<string>,
  lower: string,
  lang: Lang,
  measuredResult: boolean,
): number {
  if (measuredResult && MEASURABLE_RE.test(indicator)) return 1;
  const own = contentTerms(indicator, lang);
  const shared = new Set([...contentTerms(question, lang), ...others.flatMap((o) => contentTerms(o, lang))]);
  const distinctive = own.filter((t) => !shared.has(t));
  const terms = distinctive.length ? distinctive : own;
  if (!terms.length) return lower.includes(indicator.toLowerCase()) ? 1 : 0;
  const hit = (t: string) => answerTerms.has(t) || (HAN.test(t) && t.length >= 2 && hanHit(t, lower));
  return terms.filter(hit).length / terms.length;
}

const HAN = /\p{Script=Han}/u;

/**
 * A Chinese term found in the answer as a substring. A compound of four or more characters that
 * jieba kept whole in the short indicator ("定位问题") is also found by either half when that half
 * is a content word ("定位"; not the stop word "问题"): running speech rarely repeats the compound.
 */
function hanHit(term: string, lower: string): boolean {
  if (lower.includes(term)) return true;
  if (term.length < 4) return false;
  return [term.slice(0, 2), term.slice(-2)].some(
    (h) => contentTerms(h, 'zh').length > 0 && lower.includes(h),
  );
}

/**
 * The answer without the clauses that merely repeat the question ("配送的种类按配送专业化程度分类，
 * 分为…"): echoing the question's words shows nothing about the indicators.
 */
function withoutEcho(lower: string, question: string): string {
  const q = question.toLowerCase();
  return lower
    .split(/([，,。.;；!?！？\n]+)/)
    .filter((piece) => piece.trim().length < 4 || !q.includes(piece.trim()))
    .join('');
}

/** An indicator with at least this share of its distinctive terms in the answer is touched. */
const TOUCHED = 0.5;

// ---- the choice ----------------------------------------------------------------------------

/** Fewer units than this (Chinese characters or English words) and the answer is not judged. */
const MIN_UNITS = 6;

/**
 * Chooses at most one follow-up for one transcribed answer, or null when the answer lacks
 * nothing the rules can see (or is too short to judge: that goes to a person, not a follow-up).
 */
export function chooseFollowUp(input: FollowUpInput): FollowUpChoice | null {
  const transcript = input.transcript.trim();
  const lang = input.language ?? detectLanguage(transcript || input.question);
  const units =
    (transcript.match(/\p{Script=Han}/gu)?.length ?? 0) + (transcript.match(/[A-Za-z]+/g)?.length ?? 0);
  if (units < MIN_UNITS) return null;
  const lower = transcript.toLowerCase();
  const behavioural = input.kind ? input.kind === 'behavioural' : isBehavioural(input.question);
  const hasNumber = NUMBER[lang].test(lower.replace(/[一]次|一个/g, ''));
  const make = (gap: Exclude<FollowUpGap, 'indicator'>, reason: string): FollowUpChoice => ({
    gap,
    language: lang,
    text: PHRASES[gap][lang],
    reason,
    rulesVersion: FOLLOWUP_RULES_VERSION,
  });

  if (behavioural) {
    const anyOf = (list: string[]) => list.some((p) => hasPhrase(lower, p));
    const ownAction = OWN_ACTION[lang].test(lower);
    const team = TEAM_ACTION[lang].test(lower);
    const situated = anyOf(SITUATION[lang]) || anyOf(EXAMPLE_MARKERS[lang]) || hasNumber;
    const pastAction =
      ownAction || team || (lang === 'en' && new RegExp(`\\b${EN_ACTION_VERB}\\b`).test(lower));
    if (!situated && (GENERIC[lang].test(lower) || !pastAction))
      return make('example', 'no specific occasion: opinions or habits only');
    if (!ownAction && !team) return make('action', 'no action by the candidate or the team');
    if (!ownAction)
      return make('role', 'actions only by "we"/the team: the candidate\'s own part is unclear');
    if (!anyOf(RESULT[lang])) return make('result', 'actions without any outcome');
    if (!hasNumber) return make('numbers', 'an outcome without any figure');
  }

  const own = withoutEcho(lower, input.question);
  const answerTerms = new Set(splitSentences(own, lang).flatMap((s) => [...s.terms]));
  const measuredResult = hasNumber && RESULT[lang].some((p) => hasPhrase(lower, p));
  // The least-touched indicator (first in rubric order on a tie): the clearest gap to ask about.
  let best: { c: CompetencySpec; ind: string; cov: number } | null = null;
  for (const c of input.competencies)
    for (const ind of c.indicators) {
      const others = c.indicators.filter((o) => o !== ind);
      const cov = coverage(ind, others, input.question, answerTerms, own, lang, measuredResult);
      if (cov < TOUCHED && (!best || cov < best.cov)) best = { c, ind, cov };
    }
  if (best)
    return {
      gap: 'indicator',
      language: lang,
      text: indicatorPhrase(best.ind, lang, behavioural),
      indicator: best.ind,
      competency: best.c.name,
      reason: `the answer never touches the indicator "${best.ind}" (${best.c.name})`,
      rulesVersion: FOLLOWUP_RULES_VERSION,
    };
  return null;
}
