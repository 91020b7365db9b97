import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreementOf, outputLine, parseJsonl, scoreLine, train, weightsFor } from './batch';
import { DEFAULT_WEIGHTS } from './engine';

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

  it('training: global fit with enough ratings, defaults when too few; calibration improves held-out QWK on the eval set', () => {
    const lines = parseJsonl(eval50);
    const few = train(lines.slice(0, 10));
    expect(few.global).toBe(DEFAULT_WEIGHTS);
    expect(few.heldOut).toBeNull();
    const model = train(lines);
    expect(model.global.source).toBe('calibrated:global');
    expect(model.perQuestion.size).toBe(0); // 10 per question < 20
    const before = agreementOf(
      lines,
      lines.map((l) => scoreLine(l).overall),
    );
    expect(model.heldOut?.qwk).toBeGreaterThan(before?.qwk ?? 1);
    const perQ = train([
      ...lines,
      ...lines.filter((l) => l.questionId === 'q-timeout'),
      ...lines.filter((l) => l.questionId === 'q-timeout'),
    ]);
    expect(perQ.perQuestion.has('q-timeout')).toBe(true);
    expect(weightsFor(perQ, lines[0]).source).toBe('calibrated:question:q-timeout');
    expect(weightsFor(perQ, lines[20]).source).toBe('calibrated:global');
  });

  it('the CLI reads, trains and writes JSONL', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'score-'));
    const out = path.join(dir, 'out.jsonl');
    const root = path.join(import.meta.dirname, '../../..');
    const stderr = execFileSync(
      'npx',
      [
        'tsx',
        'scripts/score.ts',
        '--in',
        'scripts/eval/rated.jsonl',
        '--out',
        out,
        '--train',
        'scripts/eval/rated.jsonl',
      ],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    void stderr;
    const rows = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(50);
    expect(rows[0]).toMatchObject({ id: 'q-timeout-01', weights: 'calibrated:global' });
    expect(typeof rows[0].score).toBe('number');
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
