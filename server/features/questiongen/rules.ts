/**
 * Questions from a job without an LLM: the job's own phrases (duties from the description,
 * skills from the requirements) are put into templates per kind and competency, and what a good
 * answer shows comes from the competency library's indicators. Deterministic: the same job and
 * competencies give the same questions, so HR can trust what they see and tests can pin it.
 */

/** Version of these rules; stored with every draft they write. */
export const QGEN_RULES_VERSION = 'qgen-rules-1';

/** The two kinds of question proposed. */
export type QuestionKind = 'behavioural' | 'situational';
/** The language of the job description, and of the questions written for it. */
export type JdLanguage = 'zh' | 'en';

/** The job as the generator reads it. */
export interface JobText {
  title: string;
  description: string;
  requirements: string;
}

/** A competency of the library, as the generator reads it. */
export interface LibraryCompetency {
  name: string;
  indicatorsZh: string[];
  indicatorsEn: string[];
}

/** One proposed question. */
export interface ProposedQuestion {
  kind: QuestionKind;
  text: string;
  /** What a good answer shows (the bank question's `referenceAnswers`). */
  referenceAnswers: string[];
  competencies: string[];
  /** The indicators the wording aims at. */
  indicators: string[];
}

/** At most this many reference points per question (the bank's limit). */
const MAX_REFERENCES = 5;

/** zh when the job's text has more Han characters than Latin letters (a Chinese JD), else en. */
export function detectLanguage(job: JobText): JdLanguage {
  const text = `${job.title}\n${job.description}\n${job.requirements}`;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return han * 2 >= latin && han > 0 ? 'zh' : 'en';
}

// Leading words that say what kind of line it is, not what the work is ("负责", "Experience with").
const ZH_LEAD =
  /^(?:(?:主要|日常)?负责|参与|主导|牵头|协助|带领|独立|熟练(?:掌握|使用)?|熟悉|精通|掌握|了解|具备|具有|拥有|能够|能|善于|擅长|要求|有|优先考虑|优先)+/;
const EN_LEAD =
  /^(?:you will |you'll |responsible for |own(?:ing)? |lead(?:ing)? |build(?:ing)? and |experience (?:with|in|of) |hands-on experience (?:with|in) |familiar(?:ity)? with |proficien(?:t|cy) in |knowledge of |strong |solid |good |excellent |ability to |able to |\d+\+? years? (?:of )?(?:experience )?(?:in |with )?)+/i;

/**
 * The job's own key phrases: each line or sentence of a text, without its list marker and the
 * words that only say what kind of line it is, cut to its first clause. Short enough to sit in
 * a question; in the order HR wrote them; no repeats.
 */
export function keyPhrases(text: string, lang: JdLanguage): string[] {
  const out: string[] = [];
  const pieces = text.split(lang === 'zh' ? /[\n\r。；;！!？?]+/ : /[\n\r;!?]+|\.(?:\s+|$)/);
  for (const raw of pieces) {
    let s = raw
      .trim()
      .replace(/^(?:[-•·*●▪]|\(?\d{1,2}[.、)）]|[一二三四五六七八九十]+[、.])\s*/, '')
      .trim();
    if (lang === 'zh') {
      s = s.replace(ZH_LEAD, '');
      s = (s.split(/[，,：:]/)[0] ?? '').replace(
        /(?:等工作|等|的能力|能力|相关经验|经验)*(?:者)?(?:优先)?$/,
        '',
      );
      s = s.replace(/(?:相关经验|经验|的能力|能力|等)$/, '').trim();
      if (s.length < 2) continue;
      if (s.length > 24) s = s.slice(0, 24);
    } else {
      s = s.replace(EN_LEAD, '');
      s = (s.split(/[,:(]/)[0] ?? '').trim().replace(/\s+/g, ' ');
      const words = s.split(' ');
      if (words.length > 8) s = words.slice(0, 8).join(' ');
      if (s.length < 3) continue;
      s = gerundLead(s);
    }
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

// Verbs a duty line starts with; "Design and build X" reads "designing and building X" in a question.
const EN_VERBS = new Set(
  (
    'design build develop maintain drive manage improve create support define own lead run write ship ' +
    'deliver analyse analyze implement operate monitor plan coordinate research conduct prepare review ' +
    'test optimize optimise scale migrate automate launch grow sell negotiate serve handle train mentor ' +
    'work collaborate partner'
  ).split(' '),
);

/** An English verb's -ing form (run -> running, write -> writing, build -> building). */
function gerund(v: string): string {
  if (/ie$/.test(v)) return `${v.slice(0, -2)}ying`;
  if (/[^e]e$/.test(v)) return `${v.slice(0, -1)}ing`;
  if (/^[^aeiou]*[aeiou][bdgmnprt]$/.test(v)) return `${v}${v.slice(-1)}ing`;
  return `${v}ing`;
}

/** A phrase led by a duty verb (and "and" + verb), in the -ing form; other phrases unchanged. */
function gerundLead(s: string): string {
  const words = s.split(' ');
  const verbAt = (i: number) => EN_VERBS.has((words[i] ?? '').toLowerCase());
  if (!verbAt(0)) return s;
  words[0] = gerund((words[0] as string).toLowerCase());
  if (words[1] === 'and' && verbAt(2)) words[2] = gerund((words[2] as string).toLowerCase());
  return words.join(' ');
}

// Per built-in competency: what happened in a behavioural question, and the scenario of a
// situational one. A competency HR added to the library gets the generic wording below.
const ZH_TEMPLATES: Record<string, { did: string; scenario: string }> = {
  问题解决: { did: '解决一个棘手问题', scenario: '出现了一个原因不明、影响还在扩大的问题' },
  技术深度: { did: '做出一个关键的技术决策', scenario: '现有方案在性能或稳定性上撑不住新的业务量' },
  沟通协作: { did: '需要说服他人或跨团队协作', scenario: '另一个团队的优先级和你的目标冲突，对方不愿配合' },
  用户洞察: { did: '发现用户真正的需求', scenario: '上线后用户的反馈和你的预期很不一样' },
  结果导向: { did: '推动一个有挑战的目标落地', scenario: '离截止日期只剩两周，目标只完成了一半' },
  客户导向: { did: '帮客户解决一个难题', scenario: '一位重要客户对交付很不满意，要求马上解决' },
  谈判能力: { did: '完成一次有难度的谈判', scenario: '客户要求大幅降价，否则就转向竞争对手' },
};
const EN_TEMPLATES: Record<string, { label: string; did: string; scenario: string }> = {
  问题解决: {
    label: 'problem solving',
    did: 'solved a hard problem',
    scenario: 'a problem with an unclear cause starts to affect more and more people',
  },
  技术深度: {
    label: 'technical depth',
    did: 'made a key technical decision',
    scenario: 'the current design can no longer cope with the new load',
  },
  沟通协作: {
    label: 'communication and collaboration',
    did: 'had to persuade others or work across teams',
    scenario: "another team's priorities conflict with your goal and they will not help",
  },
  用户洞察: {
    label: 'user insight',
    did: 'uncovered what users really needed',
    scenario: 'feedback after launch is very different from what you expected',
  },
  结果导向: {
    label: 'results orientation',
    did: 'drove a demanding goal to delivery',
    scenario: 'two weeks before the deadline, only half of the goal is met',
  },
  客户导向: {
    label: 'customer focus',
    did: "solved a customer's difficult problem",
    scenario: 'an important customer is unhappy with a delivery and wants it fixed now',
  },
  谈判能力: {
    label: 'negotiation',
    did: 'closed a difficult negotiation',
    scenario: 'a customer demands a large discount or will go to a competitor',
  },
};

/** "identifies the root cause" -> "identify the root cause", to follow "how you ...". */
function baseForm(indicator: string): string {
  const [first = '', ...rest] = indicator.trim().split(/\s+/);
  let verb = first;
  if (/ies$/.test(verb)) verb = `${verb.slice(0, -3)}y`;
  else if (/(?:ch|sh|x|ss|z)es$/.test(verb)) verb = verb.slice(0, -2);
  else if (/[^s]s$/.test(verb)) verb = verb.slice(0, -1);
  return [verb, ...rest].join(' ');
}

/** The question's text for one kind, competency, job phrase and indicator. */
function wording(
  kind: QuestionKind,
  lang: JdLanguage,
  competency: string,
  title: string,
  context: string | null,
  focus: string,
  indicators: string[],
): string {
  if (lang === 'zh') {
    const t = ZH_TEMPLATES[competency];
    const where = context ? `在「${context}」相关的工作中` : `在以往的工作中`;
    if (kind === 'behavioural')
      return (
        `请讲一次你${where}${t ? t.did : `体现「${competency}」`}的具体经历：当时的情境和任务是什么？` +
        `你本人具体做了什么，比如是如何${focus}的？最后的结果如何，有哪些数据可以说明？`
      );
    const scene = t ? t.scenario : `遇到一个需要体现「${competency}」的困难局面`;
    return (
      `假设你担任${title}，${context ? `在负责「${context}」时，` : ''}${scene}。` +
      `你会怎么处理？请说明你的步骤、先后顺序和判断依据，以及你会如何${focus}。`
    );
  }
  const t = EN_TEMPLATES[competency];
  const where = context ? `in your work on ${context}` : 'in your past work';
  const how = baseForm(focus);
  // A library competency without a template is named by another of its (English) indicators:
  // its name may well be Chinese.
  const other = baseForm(indicators.find((i) => i !== focus) ?? focus);
  if (kind === 'behavioural')
    return (
      `Tell me about a time ${where} when you ${t ? t.did : `had to ${other}`}. ` +
      `What was the situation and your task, what did you do yourself (for example, how did you ${how}), ` +
      'and what was the result? What figures show it?'
    );
  const scene = t ? t.scenario : `you face a difficult situation where you must ${other}`;
  return (
    `Imagine you are our ${title}${context ? ` working on ${context}` : ''}, and ${scene}. ` +
    `What would you do? Walk me through your steps, their order and your reasons, including how you would ${how}.`
  );
}

/** The indicators of a competency in a language (the other language's when it has none). */
export function indicatorsOf(c: LibraryCompetency, lang: JdLanguage): string[] {
  const own = (lang === 'zh' ? c.indicatorsZh : c.indicatorsEn).filter((s) => s.trim());
  if (own.length) return own;
  const other = (lang === 'zh' ? c.indicatorsEn : c.indicatorsZh).filter((s) => s.trim());
  return other.length ? other : [c.name];
}

/**
 * Proposes `perKind` behavioural and `perKind` situational questions for each competency, in
 * the job's language. Each question is built around one indicator of its competency (a
 * different one for each question of that competency, while there are enough) and one phrase of
 * the job (duties first, then skills, in turn across the competencies); its reference points are
 * that competency's indicators, the targeted one first.
 */
export function proposeByRules(input: {
  job: JobText;
  competencies: LibraryCompetency[];
  perKind: number;
  language?: JdLanguage;
}): { language: JdLanguage; questions: ProposedQuestion[] } {
  const lang = input.language ?? detectLanguage(input.job);
  const duties = keyPhrases(input.job.description, lang);
  const skills = keyPhrases(input.job.requirements, lang).filter((s) => !duties.includes(s));
  const phrases = [...duties, ...skills];
  // A scenario happens in the job's work (a duty); an experience may come from either.
  const scenes = duties.length ? duties : phrases;
  const title = input.job.title.trim() || (lang === 'zh' ? '这个岗位的负责人' : 'new team member');
  const questions: ProposedQuestion[] = [];
  let turn = 0;
  for (const c of input.competencies) {
    const indicators = indicatorsOf(c, lang);
    let n = 0;
    for (let round = 0; round < input.perKind; round++)
      for (const kind of ['behavioural', 'situational'] as const) {
        const focus = indicators[n % indicators.length] as string;
        const pool = kind === 'behavioural' ? phrases : scenes;
        const context = pool.length ? (pool[turn % pool.length] as string) : null;
        n++;
        if (kind === 'situational') turn++;
        const refs = [focus, ...indicators.filter((i) => i !== focus)].slice(0, MAX_REFERENCES);
        questions.push({
          kind,
          text: wording(kind, lang, c.name, title, context, focus, indicators),
          referenceAnswers: refs,
          competencies: [c.name],
          indicators: [focus],
        });
      }
  }
  return { language: lang, questions };
}
