/**
 * The interview outline (面试提纲) of a live round, built by rules (no LLM): 5-8 questions for
 * the interviewer, each with why it is asked and what to listen for. Sources, in priority order:
 * the AI report's gaps, its low-confidence competencies (little evidence, or a borderline score),
 * the job's requirements the résumé does not show (or every requirement when there is no
 * résumé), the candidate's most recent role, then the plan's competencies and two standard
 * questions so the outline is never shorter than five. Pure and deterministic.
 *
 * Never reads protected attributes: the résumé arrives as the job match (which strips them) and
 * the most recent employer and title only.
 */
import type { OutlineQuestionView, OutlineSource } from '../../../shared/api/liveround';

/** Bumped whenever the rules change, recorded with every outline. */
export const OUTLINE_RULES_VERSION = 'outline-rules-1';
/** Fewest and most questions of an outline. */
export const OUTLINE_MIN = 5;
export const OUTLINE_MAX = 8;

/** A competency of the AI report, as the rules read it. */
export interface OutlineReportCompetency {
  name: string;
  /** 0-100. */
  score: number;
  /** Quotes the score rests on. */
  evidenceCount: number;
  /** Indicators the answers never showed. */
  missing: string[];
}

/** What the outline is built from. */
export interface OutlineInput {
  language: 'zh' | 'en';
  /** The AI report (null: none yet). `personOnly`: the candidate asked for people only (no AI score). */
  report: {
    personOnly: boolean;
    competencies: OutlineReportCompetency[];
    gaps: Array<{ competency: string; text: string }>;
  } | null;
  /** The plan's competencies with their indicators (what good looks like). */
  competencies: Array<{ name: string; indicators: string[] }>;
  /** The job's requirements, one per item. */
  requirements: string[];
  /** The résumé's job match and most recent role (null: no parsed résumé). */
  resume: {
    lines: Array<{ requirement: string; status: 'met' | 'partly' | 'not_shown'; missing: string[] }>;
    recentRole: { employer: string | null; title: string | null } | null;
  } | null;
}

/** Scores in this band are borderline: a person's second look decides more than another AI pass. */
const BORDERLINE = { low: 45, high: 65 } as const;
/** At most this many questions from each source, so one source never crowds out the others. */
const CAP: Record<OutlineSource, number> = {
  gap: 3,
  low_confidence: 2,
  resume_requirement: 2,
  requirement: 2,
  resume_role: 1,
  competency: 8,
  standard: 5,
};

const STAR_ZH = ['具体情境（时间、规模）', '本人做了什么（而不是“我们”）', '可量化的结果'];
const STAR_EN = [
  'a specific situation (when, how big)',
  'what they did themselves (not "we")',
  'a measurable result',
];

type Draft = Omit<OutlineQuestionView, 'position'>;

/** A text in Chinese and English; the outline takes the interviewer's language. */
type Bilingual<T = string> = Record<OutlineInput['language'], T>;

/**
 * Questions any live round may ask, in this order, to fill an outline the other sources leave
 * short of {@link OUTLINE_MIN}: what a recorded interview rarely shows.
 */
const STANDARD: ReadonlyArray<{
  key: string;
  question: Bilingual;
  why: Bilingual;
  listenFor: Bilingual<string[]>;
}> = [
  {
    key: 's:motivation',
    question: {
      zh: '你认为这个岗位入职前三个月最难的是什么？你会怎样准备？',
      en: 'What do you expect to be hardest in this role in your first three months, and how would you prepare?',
    },
    why: {
      zh: '了解候选人对岗位的理解和动机，这是录制面试很少能体现的。',
      en: 'Understanding of the role and motivation, which a recorded interview rarely shows.',
    },
    listenFor: {
      zh: ['了解岗位实际内容', '有具体计划', '期望合理'],
      en: ['knows what the job involves', 'a concrete plan', 'realistic expectations'],
    },
  },
  {
    key: 's:failure',
    question: {
      zh: '请讲一件工作中没有做好的事：你在其中的责任是什么？之后你改变了什么？',
      en: 'Tell me about something that did not go well at work. What was your part in it, and what did you change afterwards?',
    },
    why: {
      zh: '在对话中考察担当和从错误中学习的能力。',
      en: 'Ownership and learning from mistakes, checked in conversation.',
    },
    listenFor: {
      zh: ['承担自己的责任', '有具体的改进', '不推卸给他人'],
      en: ['takes their share of responsibility', 'a specific change made', 'no blaming others'],
    },
  },
  {
    key: 's:learning',
    question: {
      zh: '你最近为工作自学的一项技能是什么？你是怎么用上的？',
      en: 'What is the last skill you taught yourself for work, and how did you use it?',
    },
    why: {
      zh: '在没有其他线索时，了解候选人的学习方式。',
      en: 'How the candidate learns, when nothing else points at a gap.',
    },
    listenFor: {
      zh: ['具体的技能', '学习方法', '实际应用'],
      en: ['a specific skill', 'how they learned it', 'where it was applied'],
    },
  },
  {
    key: 's:conflict',
    question: {
      zh: '请讲一次你和同事或上级意见不一致的经历，你是怎么处理的？',
      en: 'Tell me about a disagreement with a colleague or manager. How did you handle it?',
    },
    why: {
      zh: '在现场对话中了解协作方式。',
      en: 'Working with others, heard live rather than recorded.',
    },
    listenFor: {
      zh: ['倾听对方', '用事实沟通', '达成一致的结果'],
      en: ['listens to the other side', 'uses facts', 'an agreed outcome'],
    },
  },
  {
    key: 's:questions',
    question: {
      zh: '关于团队和岗位，你想了解什么？',
      en: 'What would you like to know about the team and the role?',
    },
    why: {
      zh: '了解候选人关心什么，并留出提问时间。',
      en: 'What the candidate cares about; leaves room for their questions.',
    },
    listenFor: {
      zh: ['关注工作本身', '有所准备'],
      en: ['questions about the work itself', 'has prepared'],
    },
  },
];

function short(s: string, max = 60): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function indicatorsOf(input: OutlineInput, competency: string): string[] {
  return input.competencies.find((c) => c.name === competency)?.indicators ?? [];
}

/** What to listen for: the indicators the AI did not hear (else the plan's), then STAR. */
function listenFor(input: OutlineInput, competency: string | null, missing: string[] = []): string[] {
  const star = input.language === 'en' ? STAR_EN : STAR_ZH;
  const ind = competency ? (missing.length ? missing : indicatorsOf(input, competency)) : [];
  return [...ind.slice(0, 3), ...star].slice(0, 5);
}

/** Builds the outline: 5-8 questions, numbered, highest priority first. */
export function buildOutline(input: OutlineInput): OutlineQuestionView[] {
  const en = input.language === 'en';
  const drafts: Draft[] = [];
  const covered = new Set<string>();
  const taken: Partial<Record<OutlineSource, number>> = {};
  const add = (d: Draft, key: string) => {
    if (covered.has(key) || (taken[d.source] ?? 0) >= CAP[d.source]) return;
    covered.add(key);
    taken[d.source] = (taken[d.source] ?? 0) + 1;
    drafts.push(d);
  };
  const report = input.report;
  const byName = new Map((report?.competencies ?? []).map((c) => [c.name, c] as const));

  // 1. The report's gaps: what the AI interview showed least.
  for (const g of report?.gaps ?? []) {
    const c = byName.get(g.competency);
    add(
      {
        source: 'gap',
        competency: g.competency,
        question: en
          ? `Tell me about a recent time you had to show ${g.competency}: what was the situation, what did you do yourself, and how did it end?`
          : `请讲一个最近体现「${g.competency}」的具体经历：当时是什么情况？你本人做了什么？结果如何？`,
        why: en
          ? `The AI report names this as a gap: ${short(g.text, 120)}`
          : `AI 面试报告指出的不足：${short(g.text, 120)}`,
        listenFor: listenFor(input, g.competency, c?.missing ?? []),
      },
      `c:${g.competency}`,
    );
  }

  // 2. Low-confidence competencies: no AI score at all, little evidence, or a borderline score.
  const unsure = (report?.competencies ?? [])
    .map((c) => ({
      c,
      reason: report?.personOnly
        ? ('person_only' as const)
        : c.evidenceCount <= 1
          ? ('evidence' as const)
          : c.score >= BORDERLINE.low && c.score <= BORDERLINE.high
            ? ('borderline' as const)
            : null,
    }))
    .filter((x) => x.reason !== null)
    .sort((a, b) => a.c.evidenceCount - b.c.evidenceCount || a.c.score - b.c.score);
  for (const { c, reason } of unsure) {
    const why =
      reason === 'person_only'
        ? en
          ? 'The candidate asked to be evaluated by people only: there is no AI score for this competency.'
          : '候选人选择仅由人工评估：这项能力没有 AI 评分，需要在面试中判断。'
        : reason === 'evidence'
          ? en
            ? `The AI score (${c.score}) rests on ${c.evidenceCount} quote(s) only: low confidence.`
            : `AI 评分（${c.score} 分）只依据 ${c.evidenceCount} 条回答原话，置信度低。`
          : en
            ? `The AI score (${c.score}) is borderline: a second example decides more than the score.`
            : `AI 评分（${c.score} 分）处于临界区间，需要第二个例子来判断。`;
    add(
      {
        source: 'low_confidence',
        competency: c.name,
        question: en
          ? `Give me a different example of ${c.name} from the one in your AI interview: what exactly did you do, and what changed because of it?`
          : `关于「${c.name}」，请再举一个与 AI 面试中不同的例子：你具体做了什么？带来了什么变化？`,
        why,
        listenFor: listenFor(input, c.name, c.missing),
      },
      `c:${c.name}`,
    );
  }

  // 3. Requirements: those the résumé does not show (or shows in part); with no résumé, each one.
  if (input.resume) {
    const lines = [...input.resume.lines].sort(
      (a, b) => Number(a.status === 'partly') - Number(b.status === 'partly'),
    );
    for (const l of lines) {
      if (l.status === 'met') continue;
      const req = short(l.requirement);
      add(
        {
          source: 'resume_requirement',
          competency: null,
          question: en
            ? `The role asks for "${req}". Walk me through a project where you did this: what was your part?`
            : `岗位要求「${req}」。请讲一个你做过这件事的项目：你负责哪一部分？`,
          why:
            l.status === 'not_shown'
              ? en
                ? 'The résumé does not show this requirement.'
                : '简历中没有体现这项任职要求。'
              : en
                ? `The résumé shows this requirement only in part${l.missing.length ? ` (not shown: ${l.missing.slice(0, 3).join(', ')})` : ''}.`
                : `简历只部分体现了这项要求${l.missing.length ? `（未体现：${l.missing.slice(0, 3).join('、')}）` : ''}。`,
          listenFor: [...l.missing.slice(0, 3), ...(en ? STAR_EN : STAR_ZH).slice(1)],
        },
        `r:${l.requirement}`,
      );
    }
  } else {
    for (const r of input.requirements) {
      const req = short(r);
      add(
        {
          source: 'requirement',
          competency: null,
          question: en
            ? `The role asks for "${req}". Tell me about the last time you relied on it at work.`
            : `岗位要求「${req}」。请讲讲你最近一次在工作中用到它的情况。`,
          why: en
            ? 'A requirement of the job that no résumé on file confirms.'
            : '岗位的任职要求，目前没有简历可以印证。',
          listenFor: en
            ? ['concrete tools, scale or figures', ...STAR_EN.slice(1)]
            : ['具体的工具、规模或数字', ...STAR_ZH.slice(1)],
        },
        `r:${r}`,
      );
    }
  }

  // 4. The most recent role: ownership and results behind the résumé's line.
  const role = input.resume?.recentRole;
  if (role && (role.employer || role.title)) {
    const where = short([role.employer, role.title].filter(Boolean).join(' · '), 40);
    add(
      {
        source: 'resume_role',
        competency: null,
        question: en
          ? `In your most recent role (${where}), what piece of work best shows your level, and which part of it was yours?`
          : `在最近一份工作（${where}）中，最能代表你水平的一项工作是什么？其中哪部分是你本人负责的？`,
        why: en
          ? 'Checks the résumé: own role, scope and results in the latest job.'
          : '核实简历：最近一份工作中本人的职责、范围和成果。',
        listenFor: en
          ? ['own role versus the team', 'scope (users, money, people)', 'results with figures']
          : ['本人角色与团队的区别', '范围（用户量、金额、人数）', '有数字的成果'],
      },
      'role',
    );
  }

  // 5. Fill to the minimum: the plan's competencies, lowest AI score first, then standard questions.
  const rest = [...input.competencies].sort(
    (a, b) => (byName.get(a.name)?.score ?? 101) - (byName.get(b.name)?.score ?? 101),
  );
  for (const c of rest) {
    if (drafts.length >= OUTLINE_MIN) break;
    const s = byName.get(c.name);
    add(
      {
        source: 'competency',
        competency: c.name,
        question: en
          ? `Describe a situation that tested your ${c.name}. What did you do, and what would you do differently now?`
          : `请描述一次考验你「${c.name}」的情境：你做了什么？现在回头看会有什么不同做法？`,
        why: s
          ? en
            ? `A competency of this job (AI score ${s.score}): confirm it with a live example.`
            : `本岗位考察的能力（AI 评分 ${s.score} 分），用现场例子核实。`
          : en
            ? 'A competency of this job with no AI evidence yet.'
            : '本岗位考察的能力，尚无 AI 证据。',
        listenFor: listenFor(input, c.name),
      },
      `c:${c.name}`,
    );
  }
  for (const q of STANDARD) {
    if (drafts.length >= OUTLINE_MIN) break;
    const lang = input.language;
    add(
      {
        source: 'standard',
        competency: null,
        question: q.question[lang],
        why: q.why[lang],
        listenFor: q.listenFor[lang],
      },
      q.key,
    );
  }

  return drafts.slice(0, OUTLINE_MAX).map((d, i) => ({ position: i + 1, ...d }));
}
