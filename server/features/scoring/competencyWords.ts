/**
 * What the product says to a candidate about the competencies it knows, in plain words: what a
 * competency looks at, and the next step for an answer that says little about it. Never the
 * rubric's indicator phrases (they would teach the rubric to the next candidate). A competency
 * the product does not know gets generic words from the callers.
 */

import { ALIASES } from './rubrics';

type Lang = 'zh' | 'en';

interface CompetencyWords {
  /** What the competency looks at. */
  plain: Record<Lang, string>;
  /** A next step for an answer that shows little of it: what to tell, not which words to use. */
  deeper: Record<Lang, string>;
}

const KNOWN: Record<string, CompetencyWords> = {
  问题解决: {
    plain: {
      zh: '遇到问题时，你怎样弄清原因、权衡做法，并确认问题真的解决了。',
      en: 'How you find out what causes a problem, weigh what to do, and check that it is really solved.',
    },
    deeper: {
      zh: '讲一个你亲自处理过的问题：你怎样找到原因，比较过哪些做法，最后怎样确认它真的解决了。',
      en: 'Walk through one problem you handled yourself: how you found the cause, which options you compared, and how you checked it was solved.',
    },
  },
  技术深度: {
    plain: {
      zh: '你能否讲清楚自己做过的技术方案，以及为什么这样取舍。',
      en: 'Whether you can explain the technical work you did and why you made its trade-offs.',
    },
    deeper: {
      zh: '挑一个你做过的技术方案，讲清楚当时有哪些选择、你为什么这样取舍，以及效果怎样。',
      en: 'Pick one piece of technical work you did and explain the options you had, why you chose as you did, and how it turned out.',
    },
  },
  沟通协作: {
    plain: {
      zh: '和别人意见不同或需要配合时，你怎样理解对方、说明自己的想法并一起往前推进。',
      en: 'How you understand others, explain your view and move forward together when you need to work with them.',
    },
    deeper: {
      zh: '讲一次需要和别人配合或意见不同的经历：你怎样了解对方的想法，怎样说明自己的观点，最后怎样一起推进。',
      en: 'Describe a time you had to work with someone or disagreed: how you learned their view, how you explained yours, and how you moved on together.',
    },
  },
  用户洞察: {
    plain: {
      zh: '你怎样发现用户真正需要的东西，并确认做出来的东西帮到了他们。',
      en: 'How you find out what users really need and check that what was built helped them.',
    },
    deeper: {
      zh: '说说你是怎样发现用户真正的需要的（比如访谈、数据或观察），又是怎样确认做出来的东西帮到了他们。',
      en: 'Tell how you found out what users really needed (interviews, data or watching them) and how you checked that what was built helped.',
    },
  },
  结果导向: {
    plain: {
      zh: '你怎样定下目标、把事情推进到完成，并用结果说明做成了什么。',
      en: 'How you set goals, see work through to the end, and show what it achieved.',
    },
    deeper: {
      zh: '讲一件你定下目标并推进到完成的事：目标是什么，途中遇到什么阻碍，结果怎样衡量。',
      en: 'Describe one goal you set and saw through: what it was, what stood in the way, and how you measured the result.',
    },
  },
  客户导向: {
    plain: {
      zh: '你怎样了解客户的需要、建立信任并为客户带来价值。',
      en: 'How you learn what customers need, earn their trust and bring them value.',
    },
    deeper: {
      zh: '讲一次和客户打交道的经历：你怎样了解他们的需要，怎样赢得信任，最后给客户带来了什么。',
      en: 'Describe one time with a customer: how you learned what they needed, how you earned their trust, and what it brought them.',
    },
  },
  谈判能力: {
    plain: {
      zh: '你在谈判中怎样了解对方的诉求、守住自己的底线并达成协议。',
      en: 'How you learn what the other side wants, hold your limits and reach an agreement.',
    },
    deeper: {
      zh: '讲一次谈判：对方想要什么，你的底线是什么，你们最后怎样达成一致。',
      en: 'Walk through one negotiation: what the other side wanted, where your limits were, and how you reached agreement.',
    },
  },
};

/** The plain words of a competency the product knows, by its Chinese or English name; else undefined. */
export function competencyWords(name: string): CompetencyWords | undefined {
  return KNOWN[name] ?? KNOWN[ALIASES[name.trim().toLowerCase()] ?? ''];
}
