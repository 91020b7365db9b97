/**
 * `npm run bench -- resumes [--files=1000] [--ocr=3]`: the résumé pipeline on one core.
 *
 * - Throughput: extraction (pdftotext, a child process) + parsing + match of a 2-page text PDF
 *   résumé, one file after another (target: at least 20 per second per core). Baseline in the
 *   same run: pdftotext alone on the same file, so the share of parse + match is visible.
 * - OCR: a phone photo of a résumé through tesseract chi_sim+eng (target: under 5 s).
 * - Memory: RSS after the first 10% of files and at the end of the run (target: flat).
 * - Agreement: the rated evaluation set (server/features/resumes/eval/pairs.json, ratings
 *   written before the matcher ran; protocol in eval/README.md). Each résumé's file (text PDF,
 *   DOCX, scanned PDF or phone photo) goes through the worker's extraction; Pearson between the
 *   ratings and the match scores and the top-3 overlap per job, overall and per file kind, next
 *   to the same figures for the résumé text as written (what extraction costs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { extractText } from '../../server/features/resumes/extract';
import { runTool } from '../../server/features/resumes/intake';
import type { ResumeProfile } from '../../shared/api/resumes';
import { matchResume, splitRequirements } from '../../shared/resumes/match';
import { parseResume } from '../../shared/resumes/parse';
import { arg, percentile, report } from './report';

const FIXTURES = path.resolve('server/features/resumes/fixtures');
const EVAL = path.resolve('server/features/resumes/eval/pairs.json');
const LABELS = path.resolve('server/features/resumes/eval/labels.json');
const REQUIREMENTS = splitRequirements(
  '1. 本科及以上学历，计算机相关专业\n2. 3年以上 Java 后端开发经验\n3. 熟悉 MySQL、Redis、Kafka\n4. 有分布式系统设计经验者优先',
);

/** Pearson correlation of two equal-length samples. */
export function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((x, y) => x + y, 0) / n;
  const mb = b.reduce((x, y) => x + y, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

async function throughput(files: number) {
  const pdf = fs.readFileSync(path.join(FIXTURES, 'zh-2pages.pdf'));
  const tmp = path.join(fs.mkdtempSync('/tmp/resume-bench-'), 'in.pdf');
  fs.writeFileSync(tmp, pdf);
  // Baseline: the text extractor alone.
  const baseN = Math.min(200, files);
  let t0 = performance.now();
  for (let i = 0; i < baseN; i++)
    await runTool('pdftotext', ['-enc', 'UTF-8', tmp, '-'], { timeoutMs: 20_000 });
  const basePerSec = baseN / ((performance.now() - t0) / 1000);
  fs.rmSync(path.dirname(tmp), { recursive: true, force: true });

  const lat: number[] = [];
  let rssEarly = 0;
  let score = -1;
  // RSS and JS heap after each tenth of the run (after a GC when --expose-gc): flat means no leak.
  const samples: Array<{ files: number; rssMB: number; heapMB: number }> = [];
  const step = Math.max(1, Math.floor(files / 10));
  global.gc?.();
  t0 = performance.now();
  for (let i = 0; i < files; i++) {
    const s = performance.now();
    const out = await extractText(pdf, 'pdf', 2);
    const { profile } = parseResume(out.text);
    score = matchResume(out.text, profile, REQUIREMENTS, new Date('2026-12-01')).score;
    lat.push(performance.now() - s);
    if (i === Math.floor(files / 10)) {
      global.gc?.();
      rssEarly = process.memoryUsage().rss;
    }
    if ((i + 1) % step === 0) {
      global.gc?.();
      const m = process.memoryUsage();
      samples.push({
        files: i + 1,
        rssMB: Math.round(m.rss / 2 ** 20),
        heapMB: Math.round(m.heapUsed / 2 ** 20),
      });
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  global.gc?.();
  const rssEnd = process.memoryUsage().rss;
  return {
    files,
    perSecond: Math.round((files / seconds) * 10) / 10,
    pdftotextAlonePerSecond: Math.round(basePerSec * 10) / 10,
    p50ms: Math.round(percentile(lat, 50)),
    p95ms: Math.round(percentile(lat, 95)),
    rssAt10pctMB: Math.round(rssEarly / 2 ** 20),
    rssEndMB: Math.round(rssEnd / 2 ** 20),
    samples,
    score,
  };
}

async function ocr(runs: number) {
  const photo = fs.readFileSync(path.join(FIXTURES, 'en-photo.jpg'));
  const ms: number[] = [];
  let employers = '';
  for (let i = 0; i < runs; i++) {
    const out = await extractText(photo, 'jpeg', null);
    ms.push(out.ms);
    employers = parseResume(out.text)
      .profile.experience.map((e) => e.employer?.value)
      .join(' / ');
  }
  return { runs, medianMs: Math.round(percentile(ms, 50)), maxMs: Math.round(Math.max(...ms)), employers };
}

/** The file kinds of the evaluation set (see server/features/resumes/eval/README.md). */
const EVAL_KINDS = ['pdf', 'docx', 'scan', 'photo'] as const;
type EvalKind = (typeof EVAL_KINDS)[number];

interface EvalSet {
  jobs: Record<string, { title: string; requirements: string }>;
  kinds: Record<string, EvalKind>;
  pairs: Array<{ job: string; resume: string; rating: number }>;
  resumes: Record<string, string>;
}

interface Scored {
  job: string;
  resume: string;
  kind: EvalKind;
  rating: number;
  /** Match of the text as written (no extraction). */
  textScore: number;
  /** Match of the text extracted from the résumé's file by the worker's extraction. */
  fileScore: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Mean over jobs of |top k by rating ∩ top k by score| / k (k capped at a job's list size). */
function topOverlap(list: Scored[], score: (s: Scored) => number, k: number): number {
  const byJob = new Map<string, Scored[]>();
  for (const s of list) byJob.set(s.job, [...(byJob.get(s.job) ?? []), s]);
  const overlaps = [...byJob.values()].map((l) => {
    const kk = Math.min(k, l.length);
    // Ties broken by résumé id so the figure does not depend on the file's order.
    const top = (f: (s: Scored) => number) =>
      [...l]
        .sort((a, b) => f(b) - f(a) || a.resume.localeCompare(b.resume))
        .slice(0, kk)
        .map((x) => x.resume);
    const byRating = top((s) => s.rating);
    return top(score).filter((r) => byRating.includes(r)).length / kk;
  });
  return overlaps.reduce((a, b) => a + b, 0) / overlaps.length;
}

function summary(list: Scored[]) {
  const ratings = list.map((s) => s.rating);
  return {
    pairs: list.length,
    pearsonFile: round2(
      pearson(
        ratings,
        list.map((s) => s.fileScore),
      ),
    ),
    pearsonText: round2(
      pearson(
        ratings,
        list.map((s) => s.textScore),
      ),
    ),
    top3File: round2(topOverlap(list, (s) => s.fileScore, 3)),
    top3Text: round2(topOverlap(list, (s) => s.textScore, 3)),
    /** The issue's measure: top 5 of a job's queue against the ratings' top 5. */
    top5File: round2(topOverlap(list, (s) => s.fileScore, 5)),
    /** How far extraction moved the score: mean |file score − text score| (points of 100). */
    meanShift: round2(list.reduce((a, s) => a + Math.abs(s.fileScore - s.textScore), 0) / list.length),
  };
}

/** Hand labels of a résumé's fields (eval/labels.json). */
interface Labels {
  schools: string[];
  degrees: string[];
  majors: Array<string | null>;
  employers: string[];
  titles: string[];
  email: string | null;
  mobile: string | null;
}
const FIELD_NAMES = ['schools', 'degrees', 'majors', 'employers', 'titles', 'email', 'mobile'] as const;
type FieldName = (typeof FIELD_NAMES)[number];

const norm = (v: string) =>
  v
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s,，.。;；]+$/u, '')
    .trim();

/** Per field: how many labelled values the parsed profile holds (as a multiset), of how many. */
function fieldHits(
  profile: ResumeProfile,
  l: Labels,
): Record<FieldName, { found: number; labelled: number }> {
  const lists: Record<FieldName, Array<string | null>> = {
    schools: profile.education.map((e) => e.school?.value ?? null),
    degrees: profile.education.map((e) => e.degree?.value ?? null),
    majors: profile.education.map((e) => e.major?.value ?? null),
    employers: profile.experience.map((e) => e.employer?.value ?? null),
    titles: profile.experience.map((e) => e.title?.value ?? null),
    email: [profile.contact.email?.value ?? null],
    mobile: [profile.contact.mobile?.value ?? null],
  };
  const out = {} as Record<FieldName, { found: number; labelled: number }>;
  for (const f of FIELD_NAMES) {
    const want = (Array.isArray(l[f]) ? (l[f] as Array<string | null>) : [l[f] as string | null]).filter(
      (v): v is string => v !== null,
    );
    const key = (v: string) => (f === 'mobile' ? v.replace(/\D/g, '') : norm(v));
    const have = lists[f].filter((v): v is string => v !== null).map(key);
    let found = 0;
    for (const w of want) {
      const i = have.indexOf(key(w));
      if (i >= 0) {
        found++;
        have.splice(i, 1);
      }
    }
    out[f] = { found, labelled: want.length };
  }
  return out;
}

/** Share of labelled field values the parser got right, per field and overall, for some résumés. */
function fieldAccuracy(rows: Array<Record<FieldName, { found: number; labelled: number }>>) {
  const per = Object.fromEntries(
    FIELD_NAMES.map((f) => {
      const found = rows.reduce((a, r) => a + r[f].found, 0);
      const labelled = rows.reduce((a, r) => a + r[f].labelled, 0);
      return [f, round2(found / labelled)];
    }),
  ) as Record<FieldName, number>;
  const found = rows.reduce((a, r) => a + FIELD_NAMES.reduce((b, f) => b + r[f].found, 0), 0);
  const labelled = rows.reduce((a, r) => a + FIELD_NAMES.reduce((b, f) => b + r[f].labelled, 0), 0);
  return { values: labelled, all: round2(found / labelled), ...per };
}

async function agreement() {
  if (!fs.existsSync(EVAL)) return null;
  const set = JSON.parse(fs.readFileSync(EVAL, 'utf8')) as EvalSet;
  const today = new Date('2026-12-01');
  const match = (text: string, job: string) =>
    matchResume(text, parseResume(text).profile, splitRequirements(set.jobs[job].requirements), today).score;
  // Each résumé's file goes through the worker's extraction once (OCR for scans and photos).
  const extracted = new Map<string, { text: string; method: string; ms: number }>();
  for (const [id, kind] of Object.entries(set.kinds)) {
    const ext = kind === 'photo' ? 'jpg' : kind === 'docx' ? 'docx' : 'pdf';
    const buf = fs.readFileSync(path.join(FIXTURES, 'eval', `${id}.${ext}`));
    const out = await extractText(buf, kind === 'photo' ? 'jpeg' : kind === 'docx' ? 'docx' : 'pdf', 1);
    extracted.set(id, out);
  }
  const scored: Scored[] = set.pairs.map((p) => {
    const file = extracted.get(p.resume);
    if (!file) throw new Error(`no file kind for résumé ${p.resume}`);
    return {
      ...p,
      kind: set.kinds[p.resume],
      textScore: match(set.resumes[p.resume], p.job),
      fileScore: match(file.text, p.job),
    };
  });
  const perKind = Object.fromEntries(
    EVAL_KINDS.map((k) => [k, summary(scored.filter((s) => s.kind === k))]),
  ) as Record<EvalKind, ReturnType<typeof summary>>;
  const extractMs = Object.fromEntries(
    EVAL_KINDS.map((k) => {
      const ms = Object.entries(set.kinds)
        .filter(([, kind]) => kind === k)
        .map(([id]) => extracted.get(id)?.ms ?? 0);
      return [k, Math.round(percentile(ms, 50))];
    }),
  );
  // Field extraction against the hand labels, from the file and from the text as written.
  const labels = fs.existsSync(LABELS)
    ? (JSON.parse(fs.readFileSync(LABELS, 'utf8')) as { labels: Record<string, Labels> }).labels
    : null;
  const fields = labels
    ? (() => {
        const hits = Object.entries(labels).map(([id, l]) => ({
          kind: set.kinds[id],
          file: fieldHits(parseResume(extracted.get(id)?.text ?? '').profile, l),
          text: fieldHits(parseResume(set.resumes[id]).profile, l),
        }));
        return {
          text: fieldAccuracy(hits.map((h) => h.text)),
          file: fieldAccuracy(hits.map((h) => h.file)),
          perKind: Object.fromEntries(
            EVAL_KINDS.map((k) => [k, fieldAccuracy(hits.filter((h) => h.kind === k).map((h) => h.file))]),
          ),
        };
      })()
    : null;
  return {
    jobs: Object.keys(set.jobs).length,
    fields,
    resumes: Object.keys(set.kinds).length,
    overall: summary(scored),
    // The pairs after the first 24 (commit dc8e1ec) were rated with the written protocol.
    secondBatch: summary(scored.slice(24)),
    perKind,
    extractMedianMs: extractMs,
    pairs: scored.map((s) => ({
      job: s.job,
      resume: s.resume,
      rating: s.rating,
      text: s.textScore,
      file: s.fileScore,
    })),
  };
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const files = arg(args, 'files', 1000);
  const t = await throughput(files);
  const o = await ocr(arg(args, 'ocr', 3));
  const a = await agreement();
  report(
    'resumes',
    [
      {
        what: '2-page text PDF: extract + parse + match (files/s, one core)',
        value: t.perSecond,
        target: '>= 20',
      },
      { what: 'pdftotext alone (files/s, baseline)', value: t.pdftotextAlonePerSecond, target: '' },
      { what: 'p50 / p95 per file (ms)', value: `${t.p50ms} / ${t.p95ms}`, target: '' },
      {
        what: `RSS after 10% / after ${t.files} files (MB)`,
        value: `${t.rssAt10pctMB} / ${t.rssEndMB}`,
        target: 'flat',
      },
      {
        what: `JS heap after each tenth of ${t.files} files (MB)`,
        value: t.samples.map((x) => x.heapMB).join(' '),
        target: 'flat',
      },
      { what: 'OCR of a phone photo, median (ms)', value: o.medianMs, target: '< 5000' },
      ...(a
        ? [
            {
              what: `agreement, ${a.overall.pairs} rated pairs: Pearson (from the file / from the text)`,
              value: `${a.overall.pearsonFile} / ${a.overall.pearsonText}`,
              target: '',
            },
            {
              what: 'agreement: top-3 overlap per job (file / text); top-5 (file)',
              value: `${a.overall.top3File} / ${a.overall.top3Text}; ${a.overall.top5File}`,
              target: '',
            },
            {
              what: `  second batch only (${a.secondBatch.pairs} pairs): Pearson / top-3 (file)`,
              value: `${a.secondBatch.pearsonFile} / ${a.secondBatch.top3File}`,
              target: '',
            },
            ...(a.fields
              ? [
                  {
                    what: `fields right (of ${a.fields.file.values} labelled): from the file / from the text`,
                    value: `${a.fields.file.all} / ${a.fields.text.all}`,
                    target: '',
                  },
                  ...EVAL_KINDS.map((k) => ({
                    what: `  fields right, ${k}`,
                    value: a.fields?.perKind[k].all ?? '',
                    target: '',
                  })),
                ]
              : []),
            ...EVAL_KINDS.map((k) => ({
              what: `  ${k} (${a.perKind[k].pairs} pairs): Pearson / top-3 / mean score shift`,
              value: `${a.perKind[k].pearsonFile} / ${a.perKind[k].top3File} / ${a.perKind[k].meanShift}`,
              target: '',
            })),
          ]
        : []),
    ],
    { throughput: t, ocr: o, agreement: a },
  );
}
