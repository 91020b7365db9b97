/**
 * `npm run bench -- resumes [--files=1000] [--ocr=3]`: the résumé pipeline on one core.
 *
 * - Throughput: extraction (pdftotext, a child process) + parsing + match of a 2-page text PDF
 *   résumé, one file after another (target: at least 20 per second per core). Baseline in the
 *   same run: pdftotext alone on the same file, so the share of parse + match is visible.
 * - OCR: a phone photo of a résumé through tesseract chi_sim+eng (target: under 5 s).
 * - Memory: RSS after the first 10% of files and at the end of the run (target: flat).
 * - Agreement: when the rated evaluation set exists (server/features/resumes/eval/pairs.json,
 *   ratings written before the matcher ran), Pearson between HR ratings and match scores and
 *   the top-k overlap per job.
 */
import fs from 'node:fs';
import path from 'node:path';
import { extractText } from '../../server/features/resumes/extract';
import { runTool } from '../../server/features/resumes/intake';
import { matchResume, splitRequirements } from '../../shared/resumes/match';
import { parseResume } from '../../shared/resumes/parse';
import { arg, percentile, report } from './report';

const FIXTURES = path.resolve('server/features/resumes/fixtures');
const EVAL = path.resolve('server/features/resumes/eval/pairs.json');
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

interface EvalSet {
  jobs: Record<string, { title: string; requirements: string }>;
  pairs: Array<{ job: string; resume: string; rating: number }>;
  resumes: Record<string, string>;
}

function agreement() {
  if (!fs.existsSync(EVAL)) return null;
  const set = JSON.parse(fs.readFileSync(EVAL, 'utf8')) as EvalSet;
  const ratings: number[] = [];
  const scores: number[] = [];
  const byJob = new Map<string, Array<{ rating: number; score: number; resume: string }>>();
  for (const p of set.pairs) {
    const text = set.resumes[p.resume];
    const score = matchResume(
      text,
      parseResume(text).profile,
      splitRequirements(set.jobs[p.job].requirements),
      new Date('2026-12-01'),
    ).score;
    ratings.push(p.rating);
    scores.push(score);
    const list = byJob.get(p.job) ?? [];
    list.push({ rating: p.rating, score, resume: p.resume });
    byJob.set(p.job, list);
  }
  // Top-k per job: how many of the k best by rating are among the k best by score.
  const k = 3;
  const overlaps = [...byJob.values()].map((list) => {
    const byRating = [...list]
      .sort((a, b) => b.rating - a.rating)
      .slice(0, k)
      .map((x) => x.resume);
    const byScore = [...list]
      .sort((a, b) => b.score - a.score)
      .slice(0, k)
      .map((x) => x.resume);
    return byScore.filter((r) => byRating.includes(r)).length / k;
  });
  return {
    pairs: set.pairs.length,
    jobs: byJob.size,
    pearson: Math.round(pearson(ratings, scores) * 100) / 100,
    [`top${k}Overlap`]: Math.round((overlaps.reduce((a, b) => a + b, 0) / overlaps.length) * 100) / 100,
  };
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const files = arg(args, 'files', 1000);
  const t = await throughput(files);
  const o = await ocr(arg(args, 'ocr', 3));
  const a = agreement();
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
            { what: `agreement: Pearson over ${a.pairs} rated pairs`, value: a.pearson, target: '' },
            { what: 'agreement: top-3 overlap per job', value: a.top3Overlap as number, target: '' },
          ]
        : []),
    ],
    { throughput: t, ocr: o, agreement: a },
  );
}
