/**
 * The explainable job match: a résumé against the job's requirements, one line per
 * requirement (met / partly / not shown) with the résumé quote that supports it, and years of
 * relevant experience computed from the dates.
 *
 * Protected attributes are never inputs (TRUST.md "What the AI may look at"): the matcher reads
 * only a {@link ScreeningInput}, built by {@link screeningInput} from the résumé with the
 * personal lines (name, gender, age, birth date, marital status, ethnicity, hometown, contact)
 * removed and the name scrubbed wherever else it appears. A photo is never read at all (only
 * the OCR text of a photographed résumé is). Pure and deterministic.
 */
import type { MatchLine, RequirementStatus, ResumeMatch, ResumeProfile, SourceSpan } from '../api/resumes';
import { linesOf } from './parse';
import { degreeLevel, EN_STOP, SKILLS, ZH_STOP } from './vocab';

/** What the matcher may read: no protected attribute, no offsets that depend on them. */
export interface ScreeningInput {
  /** The résumé's lines without the personal ones (name scrubbed), in order. */
  lines: string[];
  /** Employment periods (`YYYY-MM`/`YYYY`, end may be `present`) with the entry's words. */
  experience: Array<{ start: string | null; end: string | null; text: string }>;
  /** Highest degree level named (0-4). */
  degree: number;
  /** Month "present" means (`YYYY-MM`): the résumé's upload month, so a match never drifts. */
  asOf: string;
}

/**
 * Builds the matcher's input from a parsed résumé. Returns the input and, apart, the source
 * span of each kept line (to point quotes back at the text; never given to the matcher).
 */
export function screeningInput(
  text: string,
  profile: ResumeProfile,
  asOf: Date,
): { input: ScreeningInput; spans: SourceSpan[] } {
  const all = linesOf(text);
  const skip = new Set(profile.personalLines);
  // Every span of a protected attribute or contact, wherever the parser found it.
  const p = profile.personal;
  for (const f of [...Object.values(p), profile.contact.email, profile.contact.mobile]) {
    if (!f?.span) continue;
    const i = all.findIndex((l) => f.span && f.span.start >= l.start && f.span.start <= l.end);
    if (i >= 0) skip.add(i);
  }
  const name = p.name?.value.trim();
  const scrub = (s: string) => (name && name.length >= 2 ? s.split(name).join('') : s);
  const lines: string[] = [];
  const spans: SourceSpan[] = [];
  all.forEach((l, i) => {
    if (skip.has(i) || !l.text.trim()) return;
    lines.push(scrub(l.text));
    spans.push({ start: l.start, end: l.end });
  });
  const experience = profile.experience.map((e) => ({
    start: e.start?.value ?? null,
    end: e.end?.value ?? null,
    text: scrub([e.title?.value, e.employer?.value, e.description?.value].filter(Boolean).join('\n')),
  }));
  const degree = Math.max(0, ...profile.education.map((e) => degreeLevel(e.degree?.value ?? '')));
  const asOfMonth = `${asOf.getUTCFullYear()}-${String(asOf.getUTCMonth() + 1).padStart(2, '0')}`;
  return { input: { lines, experience, degree, asOf: asOfMonth }, spans };
}

/** Splits a job's requirements text into one requirement per line or numbered item. */
export function splitRequirements(text: string): string[] {
  return text
    .split(/\n|；|;|(?<=[。])/u)
    .map((s) =>
      s
        .replace(/^\s*(?:[-*•·●]|\(?\d{1,2}[.、)）]|[一二三四五六七八九十][、.])\s*/u, '')
        .replace(/[。.;；,，]\s*$/u, '')
        .trim(),
    )
    .filter((s) => s.length >= 2);
}

/** What one requirement asks for, in checkable pieces. */
export interface RequirementChecks {
  keywords: string[];
  years: number | null;
  degree: number;
}

const YEARS_RE = /(\d{1,2})\s*(?:\+\s*)?(?:年|years?|yrs?)(?:\s*(?:以上|及以上|or more|\+))?/i;

/** Cuts a requirement into keywords, a minimum number of years and a minimum degree. */
export function requirementChecks(req: string): RequirementChecks {
  const years = YEARS_RE.exec(req);
  const degree = degreeLevel(req);
  let rest = req.replace(YEARS_RE, ' ');
  const keywords: string[] = [];
  const add = (k: string) => {
    const t = k.trim();
    if (t && !keywords.some((x) => x.toLowerCase() === t.toLowerCase())) keywords.push(t);
  };
  // Skills of the vocabulary first (keeps "Spring Boot" and "Node.js" whole).
  for (const s of [...SKILLS].sort((a, b) => b.length - a.length)) {
    const re = skillPattern(s);
    if (re.test(rest)) {
      add(s);
      rest = rest.replace(new RegExp(re.source, 'gi'), ' ');
    }
  }
  // Degree words are checked as a level, not as text.
  rest = rest.replace(
    /本科|硕士|博士|研究生|大专|专科|学士|Bachelor(?:'s)?|Master(?:'s)?|Ph\.?D\.?|B\.S\.|M\.S\.|degree/gi,
    ' ',
  );
  for (const m of rest.matchAll(/[A-Za-z][A-Za-z0-9+#.-]*[A-Za-z0-9+#]|[A-Za-z]{2,}/g)) {
    const w = m[0].toLowerCase();
    if (w.length >= 2 && !EN_STOP.has(w)) add(m[0]);
  }
  for (const m of rest.matchAll(/[\p{Script=Han}]+/gu)) {
    for (const piece of m[0].replace(ZH_STOP, ' ').split(/\s+/)) if (piece.length >= 2) add(piece);
  }
  return { keywords, years: years ? Number(years[1]) : null, degree };
}

function skillPattern(skill: string): RegExp {
  const esc = skill.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return /[A-Za-z]/.test(skill)
    ? new RegExp(`(?<![A-Za-z0-9+#])${esc}(?![A-Za-z0-9+#])`, 'i')
    : new RegExp(esc);
}

const bigrams = (s: string) => {
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s.slice(i, i + 2));
  return out;
};

/**
 * Whether a line shows a keyword: Latin words on word boundaries (a light plural allowed);
 * Chinese phrases verbatim or, for longer phrases, by most of their character pairs
 * ("分布式系统设计" is shown by "设计分布式系统").
 */
export function shows(line: string, keyword: string): boolean {
  if (/[A-Za-z]/.test(keyword)) {
    // Longer words meet their other forms ("development" / "developed"); short ones stay exact.
    const w = /^[A-Za-z]{6,}$/.test(keyword) ? keyword.replace(/(?:ments?|ings?|ed|es|s)$/i, '') : keyword;
    const esc = w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const tail = w === keyword ? '(?:s|es)?' : '[a-z]*';
    return new RegExp(`(?<![A-Za-z0-9+#])${esc}${tail}(?![A-Za-z0-9+#])`, 'i').test(line);
  }
  if (line.includes(keyword)) return true;
  if (keyword.length < 4) return false;
  const pairs = bigrams(keyword);
  return pairs.filter((b) => line.includes(b)).length / pairs.length >= 0.6;
}

/** Months since year 0 of a normalised date (`YYYY` counts as January, or December at an end). */
function monthIndex(d: string | null, asOf: string, isEnd: boolean): number | null {
  if (!d) return null;
  const v = d === 'present' ? asOf : d;
  const m = /^(\d{4})(?:-(\d{2}))?$/.exec(v);
  if (!m) return null;
  return Number(m[1]) * 12 + (m[2] ? Number(m[2]) - 1 : isEnd ? 11 : 0);
}

/** Years covered by the periods, overlaps counted once, one decimal. */
export function yearsOf(periods: ScreeningInput['experience'], asOf: string): number {
  const ranges = periods
    .map((p) => [monthIndex(p.start, asOf, false), monthIndex(p.end, asOf, true)] as const)
    .filter((r): r is readonly [number, number] => r[0] !== null && r[1] !== null && r[1] >= r[0])
    .map(([a, b]) => [a, b + 1] as [number, number])
    .sort((x, y) => x[0] - y[0]);
  let months = 0;
  let cur: [number, number] | null = null;
  for (const r of ranges) {
    if (cur && r[0] <= cur[1]) cur[1] = Math.max(cur[1], r[1]);
    else {
      if (cur) months += cur[1] - cur[0];
      cur = [...r];
    }
  }
  if (cur) months += cur[1] - cur[0];
  return Math.round((months / 12) * 10) / 10;
}

/** A match line before its quote is pointed at the source text. */
export type RawMatchLine = Omit<MatchLine, 'span'> & { lineIndex: number | null };

/** The match of a screening input against requirements, with quotes as line indexes. */
export function matchInput(
  input: ScreeningInput,
  requirements: readonly string[],
): Omit<ResumeMatch, 'lines'> & { lines: RawMatchLine[] } {
  const checks = requirements.map(requirementChecks);
  const jobKeywords = [...new Set(checks.flatMap((c) => c.keywords))];
  const relevantTo = (keywords: string[]) =>
    input.experience.filter((e) => keywords.some((k) => shows(e.text, k)));
  const relevantYears = yearsOf(jobKeywords.length ? relevantTo(jobKeywords) : input.experience, input.asOf);
  const totalYears = yearsOf(input.experience, input.asOf);

  const lines: RawMatchLine[] = requirements.map((requirement, r) => {
    const c = checks[r];
    const found: string[] = [];
    const missing: string[] = [];
    // The line showing the most of the requirement's keywords is its quote.
    let best = -1;
    let bestHits = 0;
    input.lines.forEach((line, i) => {
      const hits = c.keywords.filter((k) => shows(line, k)).length;
      if (hits > bestHits) {
        best = i;
        bestHits = hits;
      }
    });
    for (const k of c.keywords) (input.lines.some((l) => shows(l, k)) ? found : missing).push(k);
    let total = c.keywords.length;
    let got = found.length;
    if (c.years !== null) {
      total++;
      const y = c.keywords.length ? yearsOf(relevantTo(c.keywords), input.asOf) : relevantYears;
      const label = `${c.years}+ years (${y})`;
      if (y >= c.years) {
        got++;
        found.push(label);
      } else missing.push(label);
    }
    if (c.degree > 0) {
      total++;
      const label = `degree ≥ ${c.degree}`;
      if (input.degree >= c.degree) {
        got++;
        found.push(label);
        if (best < 0) best = input.lines.findIndex((l) => degreeLevel(l) === input.degree);
      } else missing.push(label);
    }
    const fraction = total ? got / total : 0;
    const status: RequirementStatus = fraction >= 1 ? 'met' : fraction > 0 ? 'partly' : 'not_shown';
    // The quote without its list bullet, at most 200 characters.
    const quote =
      best >= 0 && got > 0
        ? input.lines[best]
            .trim()
            .replace(/^(?:[-*•·●■◆]\s*|\d{1,2}[.、)]\s+)/u, '')
            .slice(0, 200)
        : '';
    return { requirement, status, quote, found, missing, lineIndex: quote ? best : null, fraction };
  }) as Array<RawMatchLine & { fraction: number }>;

  const fractions = (lines as Array<RawMatchLine & { fraction: number }>).map((l) => l.fraction);
  const score = fractions.length
    ? Math.round((fractions.reduce((a, b) => a + b, 0) / fractions.length) * 100)
    : 0;
  return {
    score,
    relevantYears,
    totalYears,
    lines: (lines as Array<RawMatchLine & { fraction: number }>).map(({ fraction: _, ...l }) => l),
  };
}

/** The job's requirements, one per line or numbered item (the description when none are written). */
export function requirementsOf(job: { requirements: string; description: string }): string[] {
  return splitRequirements(job.requirements.trim() ? job.requirements : job.description);
}

/** The full match of a parsed résumé: {@link matchInput} with quotes pointed at the source text. */
export function matchResume(
  text: string,
  profile: ResumeProfile,
  requirements: readonly string[],
  asOf: Date,
): ResumeMatch {
  const { input, spans } = screeningInput(text, profile, asOf);
  const m = matchInput(input, requirements);
  return {
    ...m,
    lines: m.lines.map(({ lineIndex, ...l }) => {
      if (lineIndex === null) return { ...l, span: null };
      const s = spans[lineIndex];
      const full = text.slice(s.start, s.end);
      const at = full.indexOf(l.quote);
      return { ...l, span: at >= 0 ? { start: s.start + at, end: s.start + at + l.quote.length } : s };
    }),
  };
}
