/**
 * Default behavioural indicators for the competencies the demo and most first-round interviews
 * use. HR's own indicators (on the question) always win; these fill in when a question names a
 * competency without writing indicators, so every score still has something to explain.
 */
import { Competency } from '../../kernel/db/entities/QuestionBank';
import type { Em } from '../../kernel/db/orm';
import type { CompetencySpec, Lang } from './types';

/** Behavioural indicators of one competency, in both languages. */
export type CompetencyIndicators = { zh: string[]; en: string[] };

/** Competency name -> indicators: the company's library as scoring reads it. */
export type CompetencyLibrary = Readonly<Record<string, CompetencyIndicators>>;

const DEFAULTS: Record<string, CompetencyIndicators> = {
  问题解决: {
    zh: ['定位问题的根本原因', '提出并比较多个方案', '用数据验证效果', '复盘并预防再次发生'],
    en: [
      'identifies the root cause',
      'compares alternative solutions',
      'verifies the fix with data',
      'prevents recurrence',
    ],
  },
  技术深度: {
    zh: ['讲清楚技术方案和架构', '说明技术取舍', '性能或稳定性优化', '量化技术指标'],
    en: [
      'explains the technical design',
      'explains trade-offs',
      'optimizes performance or reliability',
      'quantifies technical metrics',
    ],
  },
  沟通协作: {
    zh: ['主动沟通对齐目标', '倾听并理解对方观点', '用数据或事实说服', '推动达成共识'],
    en: [
      'communicates proactively to align goals',
      'listens to the other side',
      'persuades with data',
      'reaches consensus',
    ],
  },
  用户洞察: {
    zh: ['通过用户访谈或数据发现需求', '理解用户痛点', '确定需求优先级', '验证用户反馈'],
    en: [
      'discovers needs through interviews or data',
      'understands user pain points',
      'prioritizes requirements',
      'validates with user feedback',
    ],
  },
  结果导向: {
    zh: ['设定清晰可衡量的目标', '推动落地上线', '用数据衡量结果', '达成或超额完成目标'],
    en: [
      'sets clear measurable goals',
      'drives delivery',
      'measures results with data',
      'meets or exceeds targets',
    ],
  },
  客户导向: {
    zh: ['了解客户需求和痛点', '建立信任关系', '为客户创造价值', '持续跟进维护客户'],
    en: [
      'understands customer needs',
      'builds trust',
      'creates value for the customer',
      'follows up with the customer',
    ],
  },
  谈判能力: {
    zh: ['了解对方底线和诉求', '强调价值而不是价格', '提出交换条件', '守住利润底线达成签约'],
    en: [
      "understands the other side's needs",
      'sells value rather than price',
      'proposes trade-offs',
      'protects margin and closes',
    ],
  },
};

/** English names (and common variants) of the built-in competencies, lower case. */
export const ALIASES: Record<string, string> = {
  'problem solving': '问题解决',
  'technical depth': '技术深度',
  communication: '沟通协作',
  collaboration: '沟通协作',
  'user insight': '用户洞察',
  'results orientation': '结果导向',
  'customer focus': '客户导向',
  negotiation: '谈判能力',
};

/**
 * The built-in rubrics: version 1 of every company's competency library (the question bank
 * feature writes them into the library the first time it is opened).
 */
export const BUILT_IN_COMPETENCIES: CompetencyLibrary = DEFAULTS;

/**
 * The company's competency library as scoring reads it: the latest version of each name,
 * over the built-in rubrics (a company that never opened the library scores as before).
 */
export async function competencyLibrary(em: Em): Promise<CompetencyLibrary> {
  const rows = await em.find(Competency, { latest: true });
  const out: Record<string, CompetencyIndicators> = { ...DEFAULTS };
  for (const r of rows) out[r.name] = { zh: r.indicatorsZh, en: r.indicatorsEn };
  return out;
}

/**
 * Builds the rubric of a question: HR's indicators where given, else the library's indicators
 * of a known competency in the answer's language (the built-in rubrics when no library is
 * given), else the competency name itself (scored by relevance).
 */
export function resolveCompetencies(
  names: string[],
  indicators: Record<string, string[]> | undefined,
  lang: Lang,
  library: CompetencyLibrary = DEFAULTS,
): CompetencySpec[] {
  return names.map((name) => {
    const own = indicators?.[name]?.filter((s) => s.trim());
    if (own?.length) return { name, indicators: own };
    const alias = ALIASES[name.toLowerCase()] ?? '';
    const known = library[name] ?? library[alias] ?? DEFAULTS[name] ?? DEFAULTS[alias];
    const list = known?.[lang]?.filter((s) => s.trim());
    return { name, indicators: list?.length ? list : [name] };
  });
}
