/**
 * Batch scoring CLI:
 *   npm run score -- --in answers.jsonl [--out scores.jsonl] [--split test]
 *                    [--train rated.jsonl | --train <split name>] [--pool <split name|file>]
 *                    [--scale lo,hi] [--save-model m.json] [--gaming]
 *   npm run score -- --in answers.jsonl --train <split name|file> --cv K [--pool <same>] [--gaming]
 *
 * Input lines: { id, questionId?, question, transcript, language?, referenceAnswers?,
 * competencies?, expectedSeconds?, humanScore?, split? } (the shape of /work/shared/eval and
 * scripts/eval). `--split test` scores only the lines of that split. `--train` learns from rated
 * lines, either a file or, when no such file exists, the lines of that split of `--in`; the fit
 * is the product's own (training.ts); a model the product's rule rejects is not served, but its
 * rated answers inform the off-topic check, as in the product. `--pool` names earlier answers
 * (a file or a split; texts only, ratings ignored, scored lines left out) that inform the
 * off-topic check as the product's stored earlier answers do (answerPool.ts); with `--cv` the
 * other folds' texts are the pool. `humanScore` is read on `--scale` (default 1,5).
 * When the scored lines carry ratings, Pearson, Spearman and QWK are printed. `--gaming` also
 * builds gaming answers for every rated question (stuffed, parroted, another question's answer,
 * repeated) and counts the questions where one scores above the best human answer.
 * `--cv K` is the development mode on rows one may tune on: K-fold cross-validation over the
 * `--train` lines (folds by answer within each question, like train vs test), each fold scored
 * with a model fitted without it (served only if the product's rule accepts it); prints the
 * held-out agreement and, with `--gaming`, the gaming count against each fold's own best answer.
 * Output lines: { id, score, uncalibrated, competencies, evidence, flags, notes, basis }.
 */
import fs from 'node:fs';
import {
  type AnswerLine,
  agreementOf,
  contextsOf,
  crossValidatedCheck,
  gamingCheck,
  outputLine,
  parseJsonl,
  parseScale,
  poolOfLines,
  scoreLine,
  servingOptions,
  train,
} from '../server/features/scoring/batch';
import { decide, type LearnedModel, serialiseModel } from '../server/features/scoring/learned';

const USAGE =
  'usage: npm run score -- --in answers.jsonl [--out scores.jsonl] [--split NAME] [--train FILE|SPLIT] [--pool FILE|SPLIT] [--scale lo,hi] [--save-model FILE] [--gaming]\n' +
  '       npm run score -- --in answers.jsonl --train FILE|SPLIT --cv K [--pool SPLIT] [--gaming]   (K-fold development check)';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) fail(`--${name} needs a value`);
  return v;
}

function fail(msg: string): never {
  process.stderr.write(`${msg}\n${USAGE}\n`);
  process.exit(2);
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

type Gaming = ReturnType<typeof gamingCheck>;

function printGaming(title: string, g: Gaming, worst = 10) {
  process.stdout.write(
    `${title} (${g.questions} questions): ${g.questionsAbove} with one above; ${Object.entries(g.above)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}\n`,
  );
  for (const w of g.worst.slice(0, worst)) process.stdout.write(`  ${w.questionId} ${w.kind} +${w.margin}\n`);
}

function printCv(cv: ReturnType<typeof crossValidatedCheck>) {
  process.stdout.write(
    `${cv.folds}-fold cross-validation by answer: the model serves in ${cv.served} folds\n`,
  );
  process.stdout.write('| held-out score | n | pearson | spearman | qwk |\n|---|---|---|---|---|\n');
  for (const [name, a] of [
    ['as served', cv.agreement.served],
    ['learned model, always', cv.agreement.model],
    ['uncalibrated', cv.agreement.uncalibrated],
  ] as const)
    if (a)
      process.stdout.write(`| ${name} | ${a.n} | ${f3(a.pearson)} | ${f3(a.spearman)} | ${f3(a.qwk)} |\n`);
  const ot = cv.offTopic;
  process.stdout.write(
    `held-out genuine answers flagged off_topic (rated >= 4): as served ${ot.served.flagged} (${ot.served.ratedHigh}), ` +
      `uncalibrated ${ot.uncalibrated.flagged} (${ot.uncalibrated.ratedHigh})\n`,
  );
  if (cv.gaming) {
    printGaming(
      "gaming answers above the held-out fold's best human answer, as served",
      cv.gaming.served,
      20,
    );
    printGaming('the same, uncalibrated', cv.gaming.uncalibrated, 20);
  }
}

try {
  const inFile = arg('in') ?? fail('--in is required');
  const outFile = arg('out');
  const split = arg('split');
  const trainArg = arg('train');
  const scale = parseScale(arg('scale'));
  const all = parseJsonl(fs.readFileSync(inFile, 'utf8'), inFile, scale);
  // A file, or when no such file exists, the lines of that split of --in.
  const linesOf = (flag: string, value: string): AnswerLine[] => {
    if (fs.existsSync(value)) return parseJsonl(fs.readFileSync(value, 'utf8'), value, scale);
    const found = all.filter((l) => l.split === value);
    if (!found.length) fail(`--${flag}: "${value}" is neither a file nor a split of ${inFile}`);
    return found;
  };
  const trainLines: AnswerLine[] = trainArg !== undefined ? linesOf('train', trainArg) : [];
  const poolArg = arg('pool');
  const cvArg = arg('cv');
  if (cvArg !== undefined) {
    if (trainArg === undefined) fail('--cv needs --train (the rated lines to fold)');
    if (split !== undefined || outFile !== undefined)
      fail('--cv scores the --train lines by folds: drop --split and --out');
    if (poolArg !== undefined && poolArg !== trainArg)
      fail(`--pool: with --cv the pool is the other folds of the --train lines; give --pool ${trainArg}`);
    const k = Number(cvArg);
    const cv = crossValidatedCheck(trainLines, contextsOf([...all, ...trainLines]), k, scale, {
      gaming: process.argv.includes('--gaming'),
      pool: poolArg !== undefined,
    });
    printCv(cv);
    process.exit(0);
  }
  const lines = split ? all.filter((l) => l.split === split) : all;
  if (!lines.length) fail(`--split: no line of ${inFile} has split "${split}"`);
  // One question bank: every question of the input and the training file.
  const poolLines = poolArg !== undefined ? linesOf('pool', poolArg) : [];
  const contexts = contextsOf([...all, ...trainLines, ...poolLines]);
  // An answer is never its own earlier answer: scored lines are left out of the pool.
  const scoredIds = new Set(lines.map((l) => String(l.id)));
  const earlier = poolLines.filter((l) => !scoredIds.has(String(l.id)));
  if (poolArg !== undefined && !earlier.length)
    fail(`--pool: every line of "${poolArg}" is also scored; an answer cannot be its own earlier answer`);
  const pool = poolArg !== undefined ? poolOfLines(earlier, contexts) : null;
  if (pool)
    process.stderr.write(
      `pool of earlier answers: ${earlier.length} lines (${poolLines.length - earlier.length} scored lines left out)\n`,
    );
  let model: LearnedModel | null = null;
  let serves = false;
  if (trainArg !== undefined) {
    model = train(trainLines, contexts, scale);
    const cv = model.cv;
    process.stderr.write(
      `learned from ${model.ratings} ratings: ${Object.keys(model.questions).length} per-question fits, ` +
        `${Object.keys(model.groups).length} group fits` +
        (cv
          ? `; 5-fold held-out pearson ${f3(cv.model.pearson)} (uncalibrated ${f3(cv.uncalibrated.pearson)})`
          : ' (too few ratings: uncalibrated score kept)') +
        '\n',
    );
    // The product's rule: a model serves only when it beats the uncalibrated score held-out.
    const verdict = decide(model.cv);
    process.stderr.write(
      `${verdict.accept ? 'model serves' : 'model rejected, uncalibrated score kept'}: ${verdict.decision}\n`,
    );
    const save = arg('save-model');
    if (save) fs.writeFileSync(save, serialiseModel(model));
    serves = verdict.accept;
  }
  // As the product scores: a rejected model's rated answers inform only the off-topic check.
  const asServed = servingOptions(model, serves, pool);
  const out: string[] = [];
  const scores: number[] = [];
  const uncal: number[] = [];
  const flagged = new Map<string, number>();
  for (const line of lines) {
    const r = scoreLine(line, contexts, asServed.model, asServed.extra);
    scores.push(r.overall);
    uncal.push(r.uncalibrated);
    for (const f of r.flags) flagged.set(f, (flagged.get(f) ?? 0) + 1);
    if (outFile) out.push(JSON.stringify(outputLine(line, r)));
  }
  if (outFile) fs.writeFileSync(outFile, out.length ? `${out.join('\n')}\n` : '');
  process.stderr.write(`scored ${lines.length} answers${outFile ? ` -> ${outFile}` : ''}\n`);
  if (flagged.size) process.stderr.write(`flags: ${[...flagged].map(([f, n]) => `${f} ${n}`).join(', ')}\n`);
  const ag = agreementOf(lines, scores, scale);
  if (ag) {
    const rows = [['score', ag]] as Array<[string, typeof ag]>;
    const ua = asServed.model ? agreementOf(lines, uncal, scale) : null;
    if (ua) rows.push(['uncalibrated', ua]);
    process.stdout.write(`agreement with humanScore (n=${ag.n}, scale ${scale[0]}-${scale[1]})\n`);
    process.stdout.write('| score | pearson | spearman | qwk |\n|---|---|---|---|\n');
    for (const [name, a] of rows)
      process.stdout.write(`| ${name} | ${f3(a.pearson)} | ${f3(a.spearman)} | ${f3(a.qwk)} |\n`);
  }
  if (process.argv.includes('--gaming')) {
    printGaming(
      "gaming answers above the question's best human answer",
      gamingCheck(lines, contexts, asServed.model, asServed.extra),
    );
  }
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
