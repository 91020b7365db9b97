import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  agreementOf,
  contextsOf,
  crossValidatedCheck,
  differentQuestion,
  foldsOf,
  gamingCheck,
  outputLine,
  parseJsonl,
  parseScale,
  poolOfLines,
  scoreLine,
  toFive,
  train,
} from './batch';

const eval50 = fs.readFileSync(path.join(import.meta.dirname, '../../../scripts/eval/rated.jsonl'), 'utf8');

describe('batch scoring (npm run score)', () => {
  it('parses the documented line shape and names the bad line and field', () => {
    const lines = parseJsonl(
      '{"id":1,"question":"q","transcript":"t"}\n\n{"id":"b","question":"q","transcript":"t","competencies":["沟通协作",{"name":"X","indicators":["y"]}]}\n',
    );
    expect(lines).toHaveLength(2);
    expect(() => parseJsonl('{"id":1,"question":"q"}', 'a.jsonl')).toThrow('a.jsonl:1: transcript');
    expect(() => parseJsonl('{"id":1,"question":"q","transcript":"t"}\nnot json', 'a.jsonl')).toThrow(
      'a.jsonl:2: not valid JSON',
    );
    expect(() => parseJsonl('{"id":1,"question":"q","transcript":"t","humanScore":9}')).toThrow('humanScore');
  });

  it('output lines carry id, score, competencies, evidence (verbatim) and flags', () => {
    const [line] = parseJsonl(
      '{"id":"x1","question":"How did you reach agreement?","transcript":"I listened to her concerns and we reached consensus.","language":"en","competencies":["Communication"]}',
    );
    const out = outputLine(line, scoreLine(line));
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(['id', 'score', 'competencies', 'evidence', 'flags']),
    );
    for (const e of out.evidence) expect(line.transcript.slice(e.start, e.end)).toBe(e.text);
  });

  it('ratings on any scale: --scale maps them onto 1-5, a rating outside it names the field', () => {
    expect(parseScale(undefined)).toEqual([1, 5]);
    expect(parseScale('0,1')).toEqual([0, 1]);
    expect(() => parseScale('5,1')).toThrow('--scale');
    expect(() => parseScale('a,b')).toThrow('--scale');
    expect(toFive(0.5, [0, 1])).toBe(3);
    expect(toFive(5, [0, 5])).toBe(5);
    expect(() =>
      parseJsonl('{"id":1,"question":"q","transcript":"t","humanScore":1.5}', 'x', [0, 1]),
    ).toThrow('x:1: humanScore: 1.5 is outside the scale 0-1');
    // Agreement is the same whatever the scale the same ratings are written on.
    const lines = parseJsonl(eval50);
    const scores = lines.map((l) => scoreLine(l).overall);
    const onZeroOne = lines.map((l) => ({ ...l, humanScore: ((l.humanScore as number) - 1) / 4 }));
    expect(agreementOf(onZeroOne, scores, [0, 1])?.pearson).toBeCloseTo(
      agreementOf(lines, scores)?.pearson ?? 0,
      9,
    );
  });

  it('training: too few ratings fit nothing; enough fit a model whose held-out agreement is measured', () => {
    const lines = parseJsonl(eval50);
    const contexts = contextsOf(lines);
    const few = train(lines.slice(0, 10), contexts);
    expect(few.cv).toBeNull();
    expect(Object.keys(few.questions)).toHaveLength(0);
    const model = train(lines, contexts);
    expect(model.ratings).toBe(50);
    expect(model.cv?.model.n).toBe(50);
    expect(Object.keys(model.questions)).toHaveLength(0); // 10 per question < 12
    // Twelve or more ratings of a question: it gets its own fit, shrunk towards the global one.
    const more = [
      ...lines,
      ...lines.filter((l) => l.questionId === 'q-timeout').map((l) => ({ ...l, id: `${l.id}b` })),
    ];
    const perQ = train(more, contexts);
    expect(Object.keys(perQ.questions)).toEqual(['q-timeout']);
    const r = scoreLine(lines[0], contexts, perQ);
    expect(r.weightsSource).toBe('learned:question:q-timeout');
    expect(r.basis.neighbours?.ratedAnswers).toBe(20);
    expect(scoreLine(lines[20], contexts, perQ).weightsSource).toBe('learned:global');
    // The explanation names ratings of similar answers, never their text or ids.
    expect(JSON.stringify(r.basis)).not.toContain(lines[1].transcript.slice(0, 10));
  });

  it("a stuffed non-answer from each question's terms scores below its best rated answer (in-house set)", () => {
    const lines = parseJsonl(eval50);
    const contexts = contextsOf(lines);
    for (const model of [null, train(lines, contexts)]) {
      const g = gamingCheck(lines, contexts, model);
      expect(g.questions).toBe(5);
      expect(g.above).toMatchObject({ stuffed: 0, parroted: 0, repeated: 0 });
      // Known limit: without reference answers, a good story told for a sibling question with the
      // same competencies (q-conflict-zh for q-timeout, q-conflict-en for q-project-en) can come
      // within a few points of, or just above, the question's best answer. Nothing else may.
      for (const w of g.worst) {
        expect(w.kind).toBe('other_question');
        expect(['q-timeout', 'q-project-en']).toContain(w.questionId);
        expect(w.margin).toBeLessThanOrEqual(5);
      }
    }
  });

  it("the check's answer to another question never comes from the same question asked twice", () => {
    const line = (id: string, q: string, ref: string, t: string, h: number) =>
      JSON.stringify({
        id,
        questionId: q.split(':')[0],
        question: q.split(':')[1],
        referenceAnswers: [ref],
        transcript: t,
        humanScore: h,
        language: 'zh',
      });
    const modes = '配送模式：自营配送模式；共同配送模式；第三方配送。';
    const modesMore = '配送的模式：自营配送；共同配送；第三方配送；生产资料配送；生活资料配送。';
    const check = '数量检验分为三种形式：计件、检斤、检尺求积。';
    const lines = parseJsonl(
      [
        line(
          'a1',
          'a:配送模式包括什么类型？',
          modes,
          '配送模式包括自营配送模式、共同配送模式和第三方配送。',
          5,
        ),
        line('a2', 'a:配送模式包括什么类型？', modes, '配送具有主动配送模式。', 1),
        line('b1', 'b:配送的模式有哪些？', modesMore, modesMore, 5),
        line('c1', 'c:数量检验分为哪些形式？', check, '数量检验有计件、检斤和检尺求积三种。', 5),
      ].join('\n'),
    );
    const contexts = contextsOf(lines);
    // b's reference says everything a's does: b is a asked again, so a borrows from c.
    expect(differentQuestion(['a', 'b', 'c'], 0, contexts)).toBe('c');
    // The other way round b's reference says more than a's: an answer to a is not a whole answer to b.
    expect(differentQuestion(['a', 'b', 'c'], 1, contexts)).toBe('c');
    expect(differentQuestion(['a', 'b'], 0, contexts)).toBeUndefined();
    // The twin's answer would beat a's best answer; the answer to c does not.
    const twin = scoreLine({ ...lines[0], transcript: modesMore }, contexts).overall;
    expect(twin).toBeGreaterThanOrEqual(scoreLine(lines[0], contexts).overall);
    const g = gamingCheck(lines, contexts, null);
    expect(g.above.other_question).toBe(0);
    // With only the twin to borrow from, there is no other-question answer to check.
    const ab = lines.filter((l) => l.questionId !== 'c');
    expect(gamingCheck(ab, contextsOf(ab), null).above.other_question).toBe(0);
  });

  it('--cv: every rated line is scored once by a model fitted without its fold, and gaming is counted per fold', () => {
    const lines = parseJsonl(eval50);
    const contexts = contextsOf(lines);
    const folds = foldsOf(lines, 2);
    // Every question has answers in both folds.
    for (const q of new Set(lines.map((l) => l.questionId)))
      expect(new Set(lines.filter((l) => l.questionId === q).map((l) => folds[lines.indexOf(l)])).size).toBe(
        2,
      );
    const cv = crossValidatedCheck(lines, contexts, 2, [1, 5], { gaming: true });
    expect(cv.agreement.uncalibrated?.n).toBe(50);
    expect(cv.agreement.model?.n).toBe(50);
    // Five questions, each checked in both folds.
    expect(cv.gaming?.served.questions).toBe(10);
    expect(cv.gaming?.uncalibrated.questions).toBe(10);
    // The held-out score is not the in-sample one: a model that saw the line would fit it better.
    const inSample = train(lines, contexts);
    const fitted = agreementOf(
      lines,
      lines.map((l) => scoreLine(l, contexts, inSample).overall),
    );
    expect(cv.agreement.model?.pearson).toBeLessThan(fitted?.pearson ?? 0);
    // With a pool, each held-out answer's earlier answers are the other fold's texts (never its
    // own): the count of genuine answers flagged off topic is that of scoring them so.
    const pooled = crossValidatedCheck(lines, contexts, 2, [1, 5], { pool: true });
    const flaggedWith = (pool: (f: number) => ReturnType<typeof poolOfLines> | null) =>
      lines.filter((l, i) =>
        scoreLine(l, contexts, null, { pool: pool(folds[i]) }).flags.includes('off_topic'),
      ).length;
    const others = (f: number) =>
      poolOfLines(
        lines.filter((_, i) => folds[i] !== f),
        contexts,
      );
    expect(pooled.offTopic.uncalibrated.flagged).toBe(flaggedWith(others));
    expect(cv.offTopic.uncalibrated.flagged).toBe(flaggedWith(() => null));
    expect(pooled.offTopic.uncalibrated.flagged).not.toBe(flaggedWith(() => poolOfLines(lines, contexts)));
    expect(() => crossValidatedCheck(lines, contexts, 1)).toThrow('--cv');
    expect(() => crossValidatedCheck(lines.slice(0, 2), contexts, 3)).toThrow('--cv');
  });

  it('the CLI reads, trains from a split or a file, prints Pearson, Spearman and QWK, and writes JSONL', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'score-'));
    const out = path.join(dir, 'out.jsonl');
    const input = path.join(dir, 'in.jsonl');
    // The in-house set with a split, ratings written on 0-1.
    fs.writeFileSync(
      input,
      parseJsonl(eval50)
        .map((l, i) =>
          JSON.stringify({
            ...l,
            humanScore: ((l.humanScore as number) - 1) / 4,
            split: i % 3 ? 'train' : 'test',
          }),
        )
        .join('\n'),
    );
    const root = path.join(import.meta.dirname, '../../..');
    const run = (args: string[]) =>
      spawnSync('npx', ['tsx', 'scripts/score.ts', ...args], { cwd: root, encoding: 'utf8' });
    const res = run(['--in', input, '--out', out, '--split', 'test', '--train', 'train', '--scale', '0,1']);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/\| score \| -?\d\.\d{3} \| -?\d\.\d{3} \| -?\d\.\d{3} \|/);
    expect(res.stdout).toContain('pearson | spearman | qwk');
    expect(res.stderr).toMatch(/learned from 33 ratings/);
    const rows = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(17);
    expect(typeof rows[0].score).toBe('number');
    expect(rows[0].basis).toBeDefined();
    // Bad input: a clear message naming the option or line, exit code 2.
    const bad = run(['--in', input, '--scale', '1,0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--scale');
    const noSplit = run(['--in', input, '--scale', '0,1', '--train', 'nope']);
    expect(noSplit.status).toBe(2);
    expect(noSplit.stderr).toContain('neither a file nor a split');
    // --cv: the development mode folds the --train lines and needs them.
    const cv = run(['--in', input, '--train', 'train', '--cv', '2', '--scale', '0,1', '--gaming']);
    expect(cv.status).toBe(0);
    expect(cv.stdout).toContain('2-fold cross-validation by answer');
    expect(cv.stdout).toMatch(/\| uncalibrated \| 33 \|/);
    expect(cv.stdout).toContain("above the held-out fold's best human answer");
    expect(cv.stdout).toMatch(
      /held-out genuine answers flagged off_topic \(rated >= 4\): as served \d+ \(\d+\), uncalibrated \d+/,
    );
    // --pool: earlier answers' texts for the off-topic check (other folds' with --cv).
    const pooled = run(['--in', input, '--split', 'test', '--pool', 'train', '--scale', '0,1']);
    expect(pooled.status).toBe(0);
    expect(pooled.stderr).toContain('pool of earlier answers: 33 lines (0 scored lines left out)');
    const poolNone = run(['--in', input, '--pool', 'nope', '--scale', '0,1']);
    expect(poolNone.status).toBe(2);
    expect(poolNone.stderr).toContain('--pool: "nope" is neither a file nor a split');
    const poolSelf = run(['--in', input, '--split', 'test', '--pool', 'test', '--scale', '0,1']);
    expect(poolSelf.status).toBe(2);
    expect(poolSelf.stderr).toContain('--pool: every line of "test" is also scored');
    const poolCv = run(['--in', input, '--train', 'train', '--cv', '2', '--pool', 'test', '--scale', '0,1']);
    expect(poolCv.status).toBe(2);
    expect(poolCv.stderr).toContain('--pool: with --cv the pool is the other folds');
    const cvAlone = run(['--in', input, '--cv', '2', '--scale', '0,1']);
    expect(cvAlone.status).toBe(2);
    expect(cvAlone.stderr).toContain('--cv needs --train');
    const cvBad = run(['--in', input, '--train', 'train', '--cv', 'x', '--scale', '0,1']);
    expect(cvBad.status).toBe(2);
    expect(cvBad.stderr).toContain('--cv: expected a whole number of folds');
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
