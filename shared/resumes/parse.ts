/**
 * The deterministic résumé parser: extracted text -> {@link ResumeProfile}. Sections by their
 * headings, date ranges, degree / title / employer vocabularies and skill lists (vocab.ts), in
 * Chinese and English. Every value keeps the span of text it came from, so HR can see where it
 * was read and a correction can be checked against the source. Pure: no I/O.
 */
import type {
  EducationEntry,
  ExperienceEntry,
  ProfileField,
  ProtectedAttributes,
  ResumeProfile,
  SourceSpan,
} from '../api/resumes';
import {
  CERTIFICATES_RE,
  DEGREES,
  EMPLOYER_END_RE,
  EMPLOYER_RE,
  LANGUAGES_RE,
  SCHOOL_RE,
  SECTION_HEADINGS,
  type SectionKind,
  SKILLS,
  TITLE_LEAD_RE,
  TITLE_RE,
} from './vocab';

/** One line of the text with its offsets. */
export interface Line {
  text: string;
  start: number;
  end: number;
}

/** Splits text into lines, keeping each line's offsets. */
export function linesOf(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const part of text.split('\n')) {
    out.push({ text: part, start, end: start + part.length });
    start += part.length + 1;
  }
  return out;
}

const field = (value: string, start: number): ProfileField => ({
  value,
  span: { start, end: start + value.length },
});

/** A field for a regex match inside a line (trimmed). */
function fieldIn(line: Line, value: string, at: number): ProfileField | null {
  const lead = value.length - value.trimStart().length;
  const v = value.trim();
  return v ? field(v, line.start + at + lead) : null;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** A date as résumés write it: 2018.09, 2018年9月, 2018/09, 2018-09, Sep 2018, 2018. */
const DATE_SRC =
  '(?:(?:19|20)\\d{2}\\s*[年./\\-]\\s*\\d{1,2}(?:\\s*月)?|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\\.?\\s+(?:19|20)\\d{2}|(?:19|20)\\d{2}(?!\\d))';
const PRESENT_SRC = '(?:至今|现在|目前|今|Present|Now|Current|Today)';
/** A date range: two dates (or a date and "present") with a dash, tilde, 至 or "to" between. */
export const RANGE_RE = new RegExp(
  `(${DATE_SRC})\\s*(?:-|–|—|－|~|～|至|到|to)\\s*(${DATE_SRC}|${PRESENT_SRC})`,
  'i',
);

/** `YYYY-MM`, `YYYY` or `present` from a date as written. */
export function normaliseDate(raw: string): string {
  const s = raw.trim();
  if (new RegExp(`^${PRESENT_SRC}$`, 'i').test(s)) return 'present';
  let m = /^((?:19|20)\d{2})\s*[年./-]\s*(\d{1,2})/.exec(s);
  if (m) return `${m[1]}-${m[2].padStart(2, '0')}`;
  m = /^([A-Za-z]{3})[a-z]*\.?\s+((?:19|20)\d{2})/.exec(s);
  if (m && MONTHS[m[1].toLowerCase()])
    return `${m[2]}-${String(MONTHS[m[1].toLowerCase()]).padStart(2, '0')}`;
  m = /^((?:19|20)\d{2})/.exec(s);
  return m ? m[1] : s;
}

function rangeIn(line: Line): { start: ProfileField; end: ProfileField; at: number; length: number } | null {
  const m = RANGE_RE.exec(line.text);
  if (!m) return null;
  const s1 = line.start + m.index + m[0].indexOf(m[1]);
  const s2 = line.start + m.index + m[0].lastIndexOf(m[2]);
  return {
    start: { value: normaliseDate(m[1]), span: { start: s1, end: s1 + m[1].length } },
    end: { value: normaliseDate(m[2]), span: { start: s2, end: s2 + m[2].length } },
    at: m.index,
    length: m[0].length,
  };
}

/** The section a heading line opens, or null for an ordinary line. */
export function headingOf(text: string): SectionKind | null {
  const t = text.toLowerCase().replace(/[\s:：|/·•■●◆◇▶►★【】[\]()（）&_\-—=]+/gu, '');
  if (!t || t.length > 30) return null;
  for (const [kind, heads] of Object.entries(SECTION_HEADINGS) as Array<[SectionKind, string[]]>) {
    for (const h of heads) {
      if (!t.startsWith(h)) continue;
      const rest = t.slice(h.length);
      if (!rest || heads.includes(rest)) return kind;
    }
  }
  return null;
}

/** Chunks of a line between separators (|, tabs, runs of spaces, ，、;), with their offsets in the line. */
function chunks(text: string, extra?: RegExp): Array<{ text: string; at: number }> {
  // A single space between two Chinese words separates too ("浙江大学 计算机 本科"): text
  // extractors often collapse the column gaps of a layout to one space.
  const sep =
    extra ?? /\s*(?:\||｜|\t|\s{2,}|，|、|；|;|·|•)\s*|(?<=[\p{Script=Han}）)])\s(?=[\p{Script=Han}（(])/gu;
  const out: Array<{ text: string; at: number }> = [];
  let last = 0;
  for (const m of text.matchAll(new RegExp(sep.source, 'gu'))) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), at: last });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), at: last });
  return out
    .map((c) => {
      const lead = c.text.length - c.text.trimStart().length;
      return { text: c.text.trim(), at: c.at + lead };
    })
    .filter((c) => c.text.length > 0);
}

const HAN = /\p{Script=Han}/gu;
const LATIN = /[A-Za-z]/g;

/** Protected attributes by label, in both languages. Values end at a separator or the line's end. */
const LABELS: Array<[keyof ProtectedAttributes, RegExp]> = [
  ['name', /(?:姓\s*名|^Name)\s*[:：]\s*([^|｜\t，,;；]+?)(?=\s{2,}|[|｜\t，,;；]|$)/iu],
  ['gender', /(?:性\s*别|Gender|Sex)\s*[:：]\s*([^|｜\t，,;；\s]+)/iu],
  [
    'birthDate',
    /(?:出生日期|出生年月|生\s*日|Date of Birth|DOB|Birth ?date)\s*[:：]\s*([^|｜\t，,;；]+?)(?=\s{2,}|[|｜\t，,;；]|$)/iu,
  ],
  ['age', /(?:年\s*龄|\bAge)\s*[:：]\s*([^|｜\t，,;；\s]+)/iu],
  ['maritalStatus', /(?:婚姻状况|婚\s*否|Marital Status)\s*[:：]\s*([^|｜\t，,;；\s]+)/iu],
  ['ethnicity', /(?:民\s*族|Ethnicity)\s*[:：]\s*([^|｜\t，,;；\s]+)/iu],
  [
    'hometown',
    /(?:籍\s*贯|户\s*籍|户口所在地|出生地|Hometown|Place of Origin|Birthplace)\s*[:：]\s*([^|｜\t，,;；]+?)(?=\s{2,}|[|｜\t，,;；]|$)/iu,
  ],
];
/** The same attributes written without labels (a header like "张三 | 男 | 28岁 | 汉族 | 已婚"). */
const BARE: Array<[keyof ProtectedAttributes, RegExp]> = [
  ['gender', /(?<![\p{L}])(男|女|Male|Female)(?![\p{L}])/iu],
  ['age', /(?<![\d])(\d{2}\s*岁|\d{2}\s*years old)/iu],
  ['maritalStatus', /(?<![\p{L}])(已婚|未婚|离异|Married|Single|Divorced)(?![\p{L}])/iu],
  ['ethnicity', /(?<![\p{Script=Han}])([\p{Script=Han}]{1,3}族)(?![\p{Script=Han}])/u],
];

const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const MOBILE_RE =
  /(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)|(?:Phone|Tel|Mobile|电话|手机)\s*[:：]?\s*(\+?\d[\d\s().-]{7,}\d)/i;
const TITLE_LINE = /^(?:个人简历|简历|Resume|Résumé|Curriculum Vitae|CV)$/i;

/**
 * Parses a résumé's extracted text. Deterministic: the same text always gives the same profile.
 * `profile.personalLines` lists the lines holding protected attributes or contact details.
 */
export function parseResume(text: string): { profile: ResumeProfile } {
  const lines = linesOf(text);
  const han = (text.match(HAN) ?? []).length;
  const latin = (text.match(LATIN) ?? []).length;
  const personal: ProtectedAttributes = {
    name: null,
    gender: null,
    birthDate: null,
    age: null,
    maritalStatus: null,
    ethnicity: null,
    hometown: null,
  };
  const personalLines = new Set<number>();
  const contact: ResumeProfile['contact'] = { email: null, mobile: null };

  // Sections: each line belongs to the last heading above it ('top' before the first).
  const sectionOf: Array<SectionKind | 'top' | 'heading'> = [];
  let current: SectionKind | 'top' = 'top';
  for (const l of lines) {
    const h = headingOf(l.text);
    if (h) {
      current = h;
      sectionOf.push('heading');
    } else sectionOf.push(current);
  }

  lines.forEach((l, i) => {
    if (sectionOf[i] === 'heading') return;
    const inHeader = sectionOf[i] === 'top' || sectionOf[i] === 'personal';
    for (const [key, re] of LABELS) {
      const m = re.exec(l.text);
      if (!m) continue;
      personalLines.add(i);
      personal[key] ??= fieldIn(l, m[1], m.index + m[0].lastIndexOf(m[1]));
    }
    if (inHeader) {
      for (const [key, re] of BARE) {
        const m = re.exec(l.text);
        if (!m) continue;
        personalLines.add(i);
        personal[key] ??= fieldIn(l, m[1], m.index);
      }
    }
    const e = EMAIL_RE.exec(l.text);
    if (e) {
      contact.email ??= fieldIn(l, e[0], e.index);
      if (inHeader) personalLines.add(i);
    }
    const mob = MOBILE_RE.exec(l.text);
    if (mob) {
      const v = mob[1] ?? mob[0];
      contact.mobile ??= fieldIn(l, v, mob.index + mob[0].lastIndexOf(v));
      if (inHeader) personalLines.add(i);
    }
  });

  // The unlabelled name: the first short line at the top that is not a title, heading or contact.
  if (!personal.name) {
    for (let i = 0; i < lines.length && sectionOf[i] === 'top'; i++) {
      const first = chunks(lines[i].text)[0];
      if (!first || TITLE_LINE.test(first.text)) continue;
      const t = first.text;
      if (/^[\p{Script=Han}·]{2,6}$/u.test(t) || /^[A-Z][A-Za-z'’-]+(?: [A-Z][A-Za-z.'’-]*){1,3}$/.test(t)) {
        personal.name = field(t, lines[i].start + first.at);
        personalLines.add(i);
      }
      break;
    }
  }

  // Everything above the first heading is the header (name, photo caption, personal details,
  // contact): the screening never reads it, whether or not each item was recognised, so a
  // name or an attribute the vocabularies miss cannot leak into the match. A text without any
  // heading has no header to tell apart; then only the recognised lines are set aside.
  if (sectionOf.some((s) => s === 'heading'))
    lines.forEach((l, i) => {
      if (sectionOf[i] === 'top' && l.text.trim()) personalLines.add(i);
    });

  const education: EducationEntry[] = [];
  const experience: ExperienceEntry[] = [];
  const skills: ProfileField[] = [];
  const certificates: ProfileField[] = [];
  const languages: ProfileField[] = [];

  // Entries: in education / experience sections a line with a date range opens an entry.
  const bySection = (kind: SectionKind) =>
    lines.map((l, i) => ({ l, i })).filter((x) => sectionOf[x.i] === kind);
  const entries = (kind: SectionKind): Line[][] => {
    const out: Line[][] = [];
    const rows = bySection(kind).filter((x) => x.l.text.trim());
    for (const { l } of rows) {
      const opens = RANGE_RE.test(l.text) || (kind === 'education' && !out.length);
      if (opens || !out.length) out.push([l]);
      else out[out.length - 1].push(l);
    }
    return out;
  };

  for (const group of entries('education')) education.push(educationEntry(group));
  for (const kind of ['experience', 'projects'] as const) {
    if (kind === 'projects') continue; // projects count as text for matching, not as employment
    for (const group of entries(kind)) experience.push(experienceEntry(group));
  }

  // Skills: the chunks of the skills section (prefixes like 熟悉 kept out), then the skills list anywhere.
  const seen = new Set<string>();
  const addTo = (list: ProfileField[], f: ProfileField | null) => {
    if (!f || f.value.length < 1) return;
    const tag = list === skills ? 's' : list === certificates ? 'c' : 'l';
    const k = `${tag}:${f.value.toLowerCase()}`;
    if (seen.has(k)) return;
    // A vocabulary hit inside an entry already listed ("CET-6" in "大学英语六级（CET-6）") adds nothing.
    if (tag !== 's' && list.some((x) => x.value.toLowerCase().includes(f.value.toLowerCase()))) return;
    seen.add(k);
    list.push(f);
  };
  for (const { l } of bySection('skills')) {
    const body = l.text.replace(/^\s*(?:[-*•·●■◆]|\d+[.、)])\s*/u, '');
    const offset = l.text.length - body.length;
    const stripped = body.replace(
      /^(?:熟练掌握|熟练使用|熟悉|精通|掌握|了解|擅长|Proficient (?:in|with)|Familiar with|Experienced (?:in|with)|Skilled in|Languages?|Tools?|Frameworks?|Skills?)\s*[:：]?\s*/iu,
      '',
    );
    const at0 = offset + (body.length - stripped.length);
    for (const c of chunks(stripped, /\s*(?:,|，|、|;|；|\||｜|\/(?!\w*\/)|\s{2,}|\t)\s*/gu)) {
      if (c.text.length <= 30) addTo(skills, fieldIn(l, c.text.replace(/[。.]$/, ''), at0 + c.at));
    }
  }
  for (const skill of SKILLS) {
    const re = skillRegex(skill);
    const m = re.exec(text);
    if (m && !lineIsPersonal(m.index)) addTo(skills, field(m[0], m.index));
  }
  for (const { l } of bySection('certificates')) {
    for (const c of chunks(l.text.replace(/^\s*(?:[-*•·●■◆]|\d+[.、)])\s*/u, (s) => ' '.repeat(s.length))))
      addTo(certificates, fieldIn(l, c.text, c.at));
  }
  for (const m of text.matchAll(CERTIFICATES_RE))
    if (!lineIsPersonal(m.index)) addTo(certificates, field(m[0].trim(), m.index));
  for (const { l } of bySection('languages')) {
    for (const c of chunks(l.text, /\s*(?:,|，|、|;|；|\||｜|\t|\s{2,})\s*/gu))
      addTo(languages, fieldIn(l, c.text, c.at));
  }
  if (!languages.length)
    for (const m of text.matchAll(LANGUAGES_RE)) {
      if (lineIsPersonal(m.index)) continue;
      // The language with its level when one follows (英语（CET-6）, English (fluent)).
      const rest = /^\s*[（(][^）)]{1,20}[）)]|^\s*[:：-]\s*[\p{L}\d -]{1,20}/u.exec(
        text.slice(m.index + m[0].length),
      );
      addTo(languages, field(m[0] + (rest?.[0] ?? ''), m.index));
    }

  function lineIsPersonal(offset: number): boolean {
    const i = lines.findIndex((l) => offset >= l.start && offset <= l.end);
    return personalLines.has(i);
  }

  return {
    profile: {
      language: han >= latin / 3 ? 'zh' : 'en',
      contact,
      personal,
      education,
      experience,
      skills,
      certificates,
      languages,
      personalLines: [...personalLines].sort((a, b) => a - b),
    },
  };
}

/** A case-insensitive matcher for a skill, on word boundaries for Latin spellings. */
export function skillRegex(skill: string): RegExp {
  const esc = skill.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return /[A-Za-z]/.test(skill)
    ? new RegExp(`(?<![A-Za-z0-9+#.])${esc}(?![A-Za-z0-9+#]|\\.[A-Za-z])`, 'i')
    : new RegExp(esc);
}

const spanOf = (group: Line[]): SourceSpan => ({ start: group[0].start, end: group[group.length - 1].end });

/** The line's chunks with the date range removed (replaced by spaces: offsets stay). */
function restChunks(l: Line) {
  const r = rangeIn(l);
  const text = r ? l.text.slice(0, r.at) + ' '.repeat(r.length) + l.text.slice(r.at + r.length) : l.text;
  return { range: r, parts: chunks(text) };
}

function educationEntry(group: Line[]): EducationEntry {
  const e: EducationEntry = {
    school: null,
    degree: null,
    major: null,
    start: null,
    end: null,
    span: spanOf(group),
  };
  for (const l of group.slice(0, 3)) {
    const { range, parts } = restChunks(l);
    if (range && !e.start) {
      e.start = range.start;
      e.end = range.end;
    }
    for (const p of parts) {
      const labelled = /^(?:专业|Major)\s*[:：]\s*(.+)$/iu.exec(p.text);
      if (labelled) {
        e.major ??= fieldIn(l, labelled[1], p.at + p.text.indexOf(labelled[1]));
        continue;
      }
      const school = new RegExp(SCHOOL_RE.source, 'u').exec(p.text);
      if (school && !e.school) {
        e.school = fieldIn(l, school[0], p.at + school.index);
        const after = p.text.slice(school.index + school[0].length).replace(/^[\s,，]+/, '');
        if (after && !e.major) fromDegreeText(after, l, p.at + p.text.lastIndexOf(after));
        continue;
      }
      fromDegreeText(p.text, l, p.at);
    }
  }
  return e;

  /** "本科", "B.S. in Computer Science", "Bachelor of Science in Economics", or a bare major. */
  function fromDegreeText(t: string, l: Line, at: number) {
    for (const [re] of DEGREES) {
      const m = new RegExp(re.source, 'iu').exec(t);
      if (!m) continue;
      e.degree ??= fieldIn(l, m[0], at + m.index);
      const inMajor = /\b(?:in|of)\s+([A-Z][\w &-]{2,60})$/.exec(t.slice(m.index + m[0].length));
      if (inMajor) {
        const v = inMajor[1].replace(/^Science in\s+|^Arts in\s+|^Engineering in\s+/, '');
        e.major ??= fieldIn(l, v, at + t.lastIndexOf(v));
      }
      return;
    }
    if (!e.major && t.length >= 2 && t.length <= 30 && !/\d{4}/.test(t) && !/[:：]/.test(t))
      e.major = fieldIn(l, t, at);
  }
}

function experienceEntry(group: Line[]): ExperienceEntry {
  const e: ExperienceEntry = {
    employer: null,
    title: null,
    start: null,
    end: null,
    description: null,
    span: spanOf(group),
  };
  // The header: the line with the dates, plus the next short line when the dates stood alone.
  let header = 1;
  const first = restChunks(group[0]);
  if (first.range) {
    e.start = first.range.start;
    e.end = first.range.end;
  }
  const headParts = [...first.parts.map((p) => ({ ...p, l: group[0] }))];
  const isBullet = (t: string) => /^\s*(?:[-*•·●■◆]|\d+[.、)])/u.test(t);
  while (header < group.length && header < 3 && headParts.length < 2) {
    const l = group[header];
    if (isBullet(l.text) || l.text.trim().length > 40) break;
    headParts.push(
      ...chunks(l.text, /\s*(?:\||｜|\t|\s{2,}|，|,|\s+at\s+|\s+-\s+|\s+–\s+)\s*/gu).map((p) => ({
        ...p,
        l,
      })),
    );
    header++;
  }
  // English headers often read "Title, Employer" or "Title at Employer".
  let parts = headParts.flatMap((p) =>
    chunks(p.text, /\s*(?:,|，|\s+at\s+|\s+@\s+|\s+-\s+|\s+–\s+)\s*/gu).map((c) => ({
      text: c.text,
      at: p.at + c.at,
      l: p.l,
    })),
  );
  // One chunk for both: the extractor collapsed the column gap ("Airtable Inc.  Senior Frontend
  // Engineer" -> one space). Split it where the employer ends.
  if (parts.length === 1) {
    const cut = employerTitleCut(parts[0].text);
    if (cut !== null) {
      const p = parts[0];
      const rest = p.text.slice(cut);
      const lead = rest.length - rest.trimStart().length;
      parts = [
        { text: p.text.slice(0, cut).trimEnd(), at: p.at, l: p.l },
        { text: rest.trim(), at: p.at + cut + lead, l: p.l },
      ];
    }
  }
  for (const p of parts) {
    if (!e.employer && EMPLOYER_RE.test(p.text) && !TITLE_RE.test(p.text.replace(EMPLOYER_RE, '')))
      e.employer = fieldIn(p.l, p.text, p.at);
    else if (!e.title && TITLE_RE.test(p.text)) e.title = fieldIn(p.l, p.text, p.at);
  }
  for (const p of parts) {
    if (e.employer && e.title) break;
    if (e.employer?.span?.start === p.l.start + p.at || e.title?.span?.start === p.l.start + p.at) continue;
    if (!e.employer) e.employer = fieldIn(p.l, p.text, p.at);
    else if (!e.title) e.title = fieldIn(p.l, p.text, p.at);
  }
  const desc = group.slice(header).filter((l) => l.text.trim());
  if (desc.length) {
    const start = desc[0].start + (desc[0].text.length - desc[0].text.trimStart().length);
    const end = desc[desc.length - 1].end;
    const value = linesJoin(group, start, end);
    e.description = { value, span: { start, end: start + value.length } };
  }
  return e;
}

/**
 * Where a chunk holding "employer title" splits, or null: after an employer's suffix
 * ("...有限公司 Java 开发工程师", "Yelp Inc. Frontend Engineer"), else (English) before the first
 * word that starts a title, when what precedes it has no title word ("Zendesk Senior Product
 * Manager"). The rest must read as a title.
 */
export function employerTitleCut(text: string): number | null {
  const isTitle = (t: string) => TITLE_RE.test(t) && !EMPLOYER_RE.test(t);
  for (const m of text.matchAll(EMPLOYER_END_RE)) {
    const cut = m.index + m[0].length;
    if (isTitle(text.slice(cut))) return cut;
  }
  const words = [...text.matchAll(/\S+/g)];
  for (let i = 1; i < words.length; i++) {
    if (!TITLE_LEAD_RE.test(words[i][0])) continue;
    const before = text.slice(0, words[i].index);
    const beforeWords = before.trim().split(/\s+/);
    if (beforeWords.some((w) => TITLE_LEAD_RE.test(w)) || TITLE_RE.test(before)) return null;
    return isTitle(text.slice(words[i].index)) ? words[i].index : null;
  }
  return null;
}

/** The original text between two offsets of a group's lines. */
function linesJoin(group: Line[], start: number, end: number): string {
  return group
    .filter((l) => l.end >= start && l.start <= end)
    .map((l) => l.text.slice(Math.max(0, start - l.start), Math.min(l.text.length, end - l.start)))
    .join('\n')
    .trim();
}
