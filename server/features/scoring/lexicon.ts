/**
 * Word lists the explainable features match against, in Chinese and English. Lists are short
 * and readable on purpose: every match the scorer reports can be traced to a line here.
 */
import type { Lang } from './types';

/** STAR components and the phrases that usually introduce them. */
export const STAR_MARKERS: Record<'situation' | 'task' | 'action' | 'result', Record<Lang, string[]>> = {
  situation: {
    zh: ['当时', '背景', '那时候', '之前', '项目中', '在公司', '有一次', '去年', '场景', '情况是'],
    en: [
      'at the time',
      'background',
      'back then',
      'situation',
      'last year',
      'once',
      'when i was',
      'in my previous',
      'context',
    ],
  },
  task: {
    zh: ['负责', '任务', '目标', '需要', '职责', '要求', '挑战是', '我的角色'],
    en: ['responsible', 'my task', 'goal', 'needed to', 'my role', 'was asked', 'objective', 'challenge was'],
  },
  action: {
    zh: [
      '我做了',
      '我先',
      '首先',
      '然后',
      '接着',
      '我采用',
      '我推动',
      '我组织',
      '我设计',
      '我分析',
      '我决定',
      '我们做了',
      '通过',
      '我主导',
    ],
    en: [
      'i did',
      'i first',
      'first',
      'then',
      'i decided',
      'i designed',
      'i led',
      'i built',
      'i analyzed',
      'i organized',
      'we implemented',
      'by ',
      'i proposed',
    ],
  },
  result: {
    zh: [
      '结果',
      '最终',
      '最后',
      '提升',
      '降低',
      '减少',
      '增长',
      '上线',
      '达成',
      '完成了',
      '效果',
      '收获',
      '学到',
    ],
    en: [
      'result',
      'as a result',
      'in the end',
      'finally',
      'increased',
      'reduced',
      'improved',
      'launched',
      'achieved',
      'delivered',
      'outcome',
      'learned',
    ],
  },
};

/** Words that state a measurable outcome. */
export const OUTCOME_WORDS: Record<Lang, string[]> = {
  zh: [
    '提升',
    '提高',
    '降低',
    '减少',
    '增长',
    '节省',
    '缩短',
    '翻倍',
    '达成',
    '超额',
    '转化率',
    '留存',
    '满意度',
    '签约',
    '回款',
  ],
  en: [
    'increased',
    'reduced',
    'improved',
    'saved',
    'cut',
    'doubled',
    'grew',
    'achieved',
    'exceeded',
    'conversion',
    'retention',
    'satisfaction',
    'signed',
    'revenue',
  ],
};

/** Phrases that introduce a concrete example. */
export const EXAMPLE_MARKERS: Record<Lang, string[]> = {
  zh: ['比如', '例如', '举个例子', '举例', '有一次', '具体来说', '拿', '像是'],
  en: ['for example', 'for instance', 'such as', 'one time', 'specifically', 'in one case', 'e.g.'],
};

/** Discourse markers that structure an answer. */
export const COHERENCE_MARKERS: Record<Lang, string[]> = {
  zh: [
    '首先',
    '其次',
    '然后',
    '接着',
    '最后',
    '因为',
    '所以',
    '因此',
    '但是',
    '不过',
    '另外',
    '同时',
    '总结',
    '总之',
    '第一',
    '第二',
    '第三',
    '一方面',
    '另一方面',
  ],
  en: [
    'first',
    'second',
    'third',
    'then',
    'next',
    'finally',
    'because',
    'therefore',
    'so that',
    'however',
    'but',
    'also',
    'in addition',
    'overall',
    'to summarize',
    'on the other hand',
  ],
};

/** Filler words (spoken hesitations). Counted, not judged: a high rate is only a flag. */
export const FILLERS: Record<Lang, string[]> = {
  zh: ['嗯', '呃', '啊', '那个', '就是说', '然后然后', '这个这个', '额'],
  en: ['um', 'uh', 'er', 'erm', 'like', 'you know', 'i mean', 'sort of', 'kind of', 'basically'],
};

/**
 * Synonym groups: any word of a group counts as any other when matching indicators, the
 * question or reference answers. Extend with the company's own vocabulary.
 */
export const SYNONYM_GROUPS: string[][] = [
  ['定位', '排查', '诊断', '查找', '找出', '找到'],
  ['解决', '修复', '处理', '搞定'],
  ['根因', '根本原因', '原因', '根源'],
  ['优化', '改进', '改善', '提升', '提高'],
  ['降低', '减少', '缩短', '下降'],
  ['监控', '告警', '报警', '指标', '日志'],
  ['沟通', '交流', '协调', '对齐', '讨论'],
  ['团队', '同事', '跨部门', '协作', '合作'],
  ['客户', '用户', '顾客'],
  ['需求', '诉求', '痛点'],
  ['数据', '指标', '埋点', '分析'],
  ['目标', '指标', 'kpi', 'okr'],
  ['方案', '方法', '办法', '策略'],
  ['比较', '对比', '权衡', '评估'],
  ['compare', 'weigh', 'evaluate', 'assess'],
  ['结果', '效果', '成果', '产出'],
  ['推动', '推进', '主导', '牵头', '负责'],
  ['分歧', '冲突', '不一致', '争议'],
  ['共识', '一致', '妥协', '折中'],
  ['价格', '报价', '降价', '折扣'],
  ['价值', '收益', '回报', 'roi'],
  ['上线', '发布', '交付'],
  ['性能', '延迟', '耗时', '超时', '响应时间', '慢'],
  ['数据库', 'mysql', 'sql', '索引', '查询'],
  ['缓存', 'redis'],
  ['diagnose', 'investigate', 'troubleshoot', 'debug', 'trace', 'identify'],
  ['root', 'cause', 'underlying'],
  ['improve', 'optimize', 'enhance', 'increase', 'boost'],
  ['reduce', 'decrease', 'cut', 'lower', 'shorten'],
  ['communicate', 'discuss', 'align', 'explain', 'talk'],
  ['team', 'colleague', 'stakeholder', 'cross-functional', 'collaborate'],
  ['customer', 'client', 'user'],
  ['metric', 'data', 'measure', 'kpi', 'analytics'],
  ['conflict', 'disagreement', 'disagree', 'dispute'],
  ['consensus', 'agreement', 'compromise', 'agree'],
  ['price', 'discount', 'pricing', 'quote'],
  ['value', 'benefit', 'roi'],
  ['launch', 'ship', 'release', 'deliver'],
  ['latency', 'performance', 'timeout', 'slow'],
  ['solve', 'fix', 'resolve', 'handle'],
  ['database', 'query', 'index', 'sql', 'mysql'],
  ['prioritize', 'priority', 'tradeoff', 'trade-off'],
];

/** Stop words left out of content matching. */
export const STOP_WORDS: Record<Lang, Set<string>> = {
  zh: new Set(
    '的 了 是 在 我 我们 你 他 她 它 这 那 和 与 及 也 都 就 还 又 很 会 能 要 对 把 被 让 给 从 到 为 以 于 而 并 或 一个 一些 这个 那个 什么 怎么 如何 哪些 吗 呢 吧 啊 嗯 呃 有 没有 问题 能力 情况 方面 工作 事情 东西 自己 时候 进行 一下 可以 然后 所以 因为 但是 如果 请 你们 他们 之后 之前 一次 一步步'.split(
      ' ',
    ),
  ),
  en: new Set(
    'a an the and or but of to in on at for with by from as is are was were be been being i we you he she it they my our your their me us them this that these those what how why when where which who do did does done have has had not no so if then than too very can could would should will just about into over up out also there here its problem issue thing work'.split(
      ' ',
    ),
  ),
};

/**
 * Words any answer template uses whatever the question ("situation", "took action", "improved
 * efficiency"): they show structure, not the candidate's own content, so they never count as
 * specific content. Built from the marker lists above plus common template words.
 */
export const GENERIC_WORDS: Record<Lang, string[]> = {
  zh: [
    ...Object.values(STAR_MARKERS).flatMap((m) => m.zh),
    ...OUTCOME_WORDS.zh,
    ...EXAMPLE_MARKERS.zh,
    ...COHERENCE_MARKERS.zh,
    ...'情况 任务 行动 采取 分析 结果 效率 成本 收获 学到 很多 复杂 困难 挑战 问题 解决 项目 团队 公司 经验 能力 工作 事情 非常 很大 重要 成功 顺利 最终 整体 方面 过程 处理 努力 认真 负责任 积极 主动 时间 这件 一些 大家 觉得 认为 希望 需要 进行 完成 实现 取得 良好 明显 显著'.split(
      ' ',
    ),
  ],
  en: [
    ...Object.values(STAR_MARKERS).flatMap((m) => m.en),
    ...OUTCOME_WORDS.en,
    ...EXAMPLE_MARKERS.en,
    ...COHERENCE_MARKERS.en,
    ...'situation task action result analyzed analysed analyze took challenging challenge difficult tough clear lot lots learned learn efficiency costs cost results time team company project experience skills really very great good successful successfully overall approach process handled solve solved situation goal'.split(
      ' ',
    ),
  ],
};
