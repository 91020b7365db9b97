/**
 * LLM gap-filling against the sandbox's chat endpoint (which answers only what a test
 * registered): the lines of personal details are not sent; a value found in the résumé text is
 * kept with its span and marked as the LLM's;
 * an invented value, a value from a line of personal details, a field that was not asked for
 * and several values for one field are discarded with the reason; an endpoint that is down,
 * silent past the timeout or answering something other than the JSON asked for leaves the
 * parser's profile exactly as it was. Prompt version and model are recorded every time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResumeProfile } from '../../../shared/api/resumes';
import { parseResume } from '../../../shared/resumes/parse';
import { startTestSandbox, type TestSandbox } from '../../testing/sandbox';
import type { LlmOptions } from '../scoring';
import { emptyFields, fillGaps, GAPFILL_PROMPT_VERSION } from './gapfill';

// The parser finds no school here ("Harbin Tech" matches no school pattern), and no
// certificates or languages.
const TEXT = `Mei Lin
Phone: 13800001111  Email: mei.lin@example.com
Hometown: Harbin Wanda

EDUCATION
2015 - 2019  Harbin Tech  Computer Science  B.S.

EXPERIENCE
2019 - Present  Northwind Traders  Backend Engineer
- Built order services in Java with MySQL and Kafka
- Certified Scrum Master since 2021

SKILLS
Java, MySQL, Kafka
`;

let sb: TestSandbox;
let llm: LlmOptions;
let parsed: ResumeProfile;
beforeAll(async () => {
  sb = await startTestSandbox();
  llm = { url: sb.url, apiKey: 'sk-test', model: 'qwen-plus', timeoutMs: 3000 };
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.client.reset();
  parsed = parseResume(TEXT).profile;
});

const reply = (fields: Record<string, string | string[]>) =>
  sb.client.registerLlmResponse({
    match: 'Northwind Traders',
    content: JSON.stringify({ fields }),
    model: 'qwen-plus-2025-01-25',
  });

describe('LLM gap-filling of a résumé profile', () => {
  it('asks only for what the parser left empty, never for protected attributes', () => {
    expect(parsed.education[0].school).toBeNull();
    expect(emptyFields(parsed, TEXT).map((f) => f.path)).toEqual([
      'education.0.school',
      'certificates',
      'languages',
    ]);
  });

  it('keeps a value found in the text, with its span, marked as the LLM’s; prompt and model recorded', async () => {
    await reply({ 'education.0.school': 'Harbin Tech', certificates: ['Certified Scrum Master'] });
    const out = await fillGaps(llm, TEXT, parsed, new Date('2026-12-01T00:00:00Z'));
    const school = out.education[0].school;
    expect(school).toMatchObject({ value: 'Harbin Tech', source: 'llm' });
    expect(TEXT.slice(school?.span?.start, school?.span?.end)).toBe('Harbin Tech');
    // Inside its own entry, not elsewhere.
    expect(school?.span?.start).toBeGreaterThanOrEqual(parsed.education[0].span.start);
    expect(out.certificates).toEqual([
      {
        value: 'Certified Scrum Master',
        span: { start: TEXT.indexOf('Certified Scrum'), end: TEXT.indexOf(' since') },
        source: 'llm',
      },
    ]);
    expect(out.llm).toMatchObject({
      promptVersion: GAPFILL_PROMPT_VERSION,
      model: 'qwen-plus-2025-01-25',
      asked: ['education.0.school', 'certificates', 'languages'],
      filled: ['education.0.school', 'certificates.0'],
      discarded: [],
      at: '2026-12-01T00:00:00.000Z',
    });
    // The parser's own fields are untouched, and the input profile was not changed.
    expect(out.education[0].degree).toEqual(parsed.education[0].degree);
    expect(out.skills).toEqual(parsed.skills);
    expect(parsed.education[0].school).toBeNull();
    const [req] = await sb.client.llmRequests();
    expect(req.status).not.toBe('unanswered');
    // The personal lines never leave: no name, hometown, mobile or e-mail in the prompt.
    for (const personal of ['Mei Lin', 'Harbin Wanda', '13800001111', 'mei.lin@example.com'])
      expect(req.prompt).not.toContain(personal);
    expect(req.prompt).toContain('Harbin Tech');
  });

  it('discards an invented value, a value from a personal line, an unasked field and two values for one field', async () => {
    await reply({
      'education.0.school': 'Harbin Institute of Technology',
      certificates: ['Harbin Wanda', 'AWS Certified Developer'],
      'personal.hometown': 'Harbin',
      'experience.0.employer': 'Northwind Traders',
      languages: 'Mandarin',
    });
    const out = await fillGaps(llm, TEXT, parsed);
    expect(out.education[0].school).toBeNull();
    expect(out.certificates).toEqual([]);
    expect(out.languages).toEqual([]);
    expect(out.llm?.filled).toEqual([]);
    expect(out.llm?.discarded).toEqual([
      {
        path: 'education.0.school',
        value: 'Harbin Institute of Technology',
        reason: 'not in the text of its entry',
      },
      { path: 'certificates', value: 'Harbin Wanda', reason: 'only on a line of personal details' },
      { path: 'certificates', value: 'AWS Certified Developer', reason: 'not in the résumé text' },
      { path: 'personal.hometown', value: 'Harbin', reason: 'not a field that was asked for' },
      { path: 'experience.0.employer', value: 'Northwind Traders', reason: 'not a field that was asked for' },
      { path: 'languages', value: 'Mandarin', reason: 'not in the résumé text' },
    ]);
    const { llm: _record, ...fields } = out;
    expect(fields).toEqual(parsed);
  });

  it('refuses a value of the right words in another entry', async () => {
    // "Backend Engineer" is in the text, but in the experience entry, not the school's.
    await reply({ 'education.0.school': 'Backend Engineer' });
    const out = await fillGaps(llm, TEXT, parsed);
    expect(out.education[0].school).toBeNull();
    expect(out.llm?.discarded[0]).toMatchObject({ reason: 'not in the text of its entry' });
  });

  it('leaves the profile as parsed when the endpoint has no answer (503), recording why', async () => {
    const out = await fillGaps(llm, TEXT, parsed);
    const { llm: record, ...fields } = out;
    expect(fields).toEqual(parsed);
    expect(record?.error).toMatch(/^endpoint answered 503/);
    expect(record?.filled).toEqual([]);
  });

  it('leaves the profile as parsed when the output is not the JSON asked for', async () => {
    await sb.client.registerLlmResponse({
      match: 'Northwind Traders',
      content: 'The school is Harbin Tech.',
    });
    const out = await fillGaps(llm, TEXT, parsed);
    const { llm: record, ...fields } = out;
    expect(fields).toEqual(parsed);
    expect(record).toMatchObject({
      error: 'output is not the requested JSON',
      output: 'The school is Harbin Tech.',
    });
  });

  it('leaves the profile as parsed when the endpoint is down or silent past the timeout', async () => {
    // Down: a port nobody listens on.
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const down = await fillGaps({ ...llm, url: `http://127.0.0.1:${port}` }, TEXT, parsed);
    expect(down.llm?.error).toMatch(/^request failed/);
    expect({ ...down, llm: undefined }).toEqual({ ...parsed, llm: undefined });

    // Silent: accepts the request and never answers.
    const silent = http.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const started = Date.now();
      const out = await fillGaps(
        { ...llm, url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeoutMs: 300 },
        TEXT,
        parsed,
      );
      expect(Date.now() - started).toBeLessThan(3000);
      expect(out.llm?.error).toBe('no answer within 300 ms');
      expect({ ...out, llm: undefined }).toEqual({ ...parsed, llm: undefined });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('does not call the LLM when none is configured or nothing is empty', async () => {
    expect(await fillGaps(null, TEXT, parsed)).toBe(parsed);
    const full = structuredClone(parsed);
    full.education[0].school = { value: 'Harbin Tech', span: { start: 0, end: 0 } };
    full.certificates = [{ value: 'x', span: null }];
    full.languages = [{ value: 'y', span: null }];
    expect(await fillGaps(llm, TEXT, full)).toBe(full);
    expect(await sb.client.llmRequests()).toEqual([]);
  });
});
