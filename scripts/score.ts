/**
 * Batch scoring CLI:
 *   npm run score -- --in answers.jsonl --out scores.jsonl [--train rated.jsonl]
 * Input lines: { id, question, transcript, language?, referenceAnswers?, competencies?, expectedSeconds? }
 * (questionId and humanScore 1-5 in the training file). Output lines: { id, score, competencies,
 * evidence, flags }. When input lines carry humanScore, agreement (Pearson, QWK) goes to stderr.
 */
import fs from 'node:fs';
import {
  agreementOf,
  outputLine,
  parseJsonl,
  scoreLine,
  type TrainedModel,
  train,
  weightsFor,
} from '../server/features/scoring/batch';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(msg: string): never {
  process.stderr.write(
    `${msg}\nusage: npm run score -- --in answers.jsonl --out scores.jsonl [--train rated.jsonl]\n`,
  );
  process.exit(2);
}

const inFile = arg('in') ?? fail('--in is required');
const outFile = arg('out') ?? fail('--out is required');
const trainFile = arg('train');

let model: TrainedModel | null = null;
try {
  if (trainFile) {
    model = train(parseJsonl(fs.readFileSync(trainFile, 'utf8'), trainFile));
    process.stderr.write(
      `trained on ${model.rows} ratings: ${model.global.source}, per-question fits: ${model.perQuestion.size}` +
        (model.heldOut
          ? `, held-out pearson ${model.heldOut.pearson.toFixed(3)} qwk ${model.heldOut.qwk.toFixed(3)}`
          : ' (too few ratings: defaults kept)') +
        '\n',
    );
  }
  const lines = parseJsonl(fs.readFileSync(inFile, 'utf8'), inFile);
  const out: string[] = [];
  const scores: number[] = [];
  for (const line of lines) {
    const r = scoreLine(line, weightsFor(model, line));
    scores.push(r.overall);
    out.push(JSON.stringify(outputLine(line, r)));
  }
  fs.writeFileSync(outFile, out.length ? `${out.join('\n')}\n` : '');
  const ag = agreementOf(lines, scores);
  process.stderr.write(
    `scored ${lines.length} answers -> ${outFile}` +
      (ag
        ? `; agreement with humanScore: pearson ${ag.pearson.toFixed(3)}, qwk ${ag.qwk.toFixed(3)} (n=${ag.n})`
        : '') +
      '\n',
  );
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
