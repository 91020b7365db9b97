/**
 * Questions from the job over HTTP against the real app: HR generates drafts (rules, and the LLM
 * through the sandbox's chat endpoint, which answers only what a test registered), edits one,
 * approves it into the bank as version 1 (once, however often or concurrently it is approved),
 * discards another; everyone else is refused, bad input names its field, and LLM output that does
 * not hold up falls back to the rules with the reason recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateDraftsResponse, QuestionDraftView } from '../../../shared/api/questionDrafts';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Department } from '../../kernel/db/entities/Department';
import { BankQuestion } from '../../kernel/db/entities/QuestionBank';
import { QuestionDraft } from '../../kernel/db/entities/QuestionDraft';
import { candidateToken, employeeToken } from '../../testing/booking';
import { makeCandidate } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { startVariantApp, type VariantApp } from '../../testing/variantApp';
import { BUILT_IN_COMPETENCIES } from '../scoring';
import { QGEN_PROMPT_VERSION } from './llm';

describeEachDialect('questions from the job', (dialect) => {
  let t: TestApp;
  let withLlm: VariantApp;
  let hr: string;
  let mgr: string;
  let int01: string;
  let cand: string;
  let deptId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await employeeToken(t, 'hr01');
    mgr = await employeeToken(t, 'mgr01');
    int01 = await employeeToken(t, 'int01');
    cand = await candidateToken(t, (await makeCandidate(t.orm.em.fork())).id);
    deptId = (await t.orm.em.fork().findOneOrFail(Department, { name: '研发中心' })).id;
    // The same app with an LLM configured: the sandbox's OpenAI-compatible endpoint.
    withLlm = await startVariantApp(t, (c) => ({
      ...c,
      llm: { enabled: true, url: t.sandbox.url, apiKey: 'sk-test', model: 'qwen-plus', timeoutMs: 5000 },
    }));
  }, 30_000);
  afterAll(async () => {
    await withLlm?.close();
    await t?.close();
  });

  const newJob = async (over: Record<string, string> = {}) => {
    const res = await t.api('POST', '/api/jobs', {
      token: hr,
      body: {
        title: `数据工程师 ${Math.random().toString(36).slice(2, 7)}`,
        departmentId: deptId,
        location: '杭州',
        headcount: 1,
        description: '1. 负责数据平台的建设与维护；\n2. 负责实时数仓的设计与开发。',
        requirements: '1、熟悉 SQL 与一种编程语言；\n2、有 Flink 实时计算经验优先。',
        ...over,
      },
    });
    expect(res.status).toBe(201);
    return res.body.job as { id: number; title: string };
  };
  const generate = (jobId: number, body: unknown, api = t.api) =>
    api<GenerateDraftsResponse>('POST', `/api/jobs/${jobId}/question-drafts`, { token: hr, body });

  describe('rules (no LLM configured)', () => {
    it('HR generates drafts: each competency gets both kinds, reference points from its indicators, the JD in the text', async () => {
      const job = await newJob();
      const res = await generate(job.id, { competencies: ['问题解决', '沟通协作'] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ source: 'rules', language: 'zh', fallbackReason: null });
      expect(res.body.items).toHaveLength(4);
      for (const name of ['问题解决', '沟通协作'])
        for (const kind of ['behavioural', 'situational'])
          expect(res.body.items.some((d) => d.kind === kind && d.competencies[0] === name)).toBe(true);
      for (const d of res.body.items) {
        expect(d).toMatchObject({
          jobId: job.id,
          status: 'proposed',
          source: 'rules',
          edited: false,
          llm: null,
        });
        const zh = BUILT_IN_COMPETENCIES[d.competencies[0] as string]?.zh ?? [];
        for (const r of d.referenceAnswers) expect(zh).toContain(r);
        expect(d.text).toMatch(/数据平台的建设与维护|实时数仓的设计与开发|SQL 与一种编程语言/);
      }
      const list = await t.api('GET', `/api/jobs/${job.id}/question-drafts?status=proposed`, { token: hr });
      expect(list.body.items).toHaveLength(4);
      const audits = await t.orm.em
        .fork()
        .count(AuditLog, { action: 'question_drafts.generated', objectId: String(job.id) });
      expect(audits).toBe(1);
    });

    it('writes English questions for an English job', async () => {
      const job = await newJob({
        title: 'Backend Engineer',
        description: '- Design and build payment APIs.\n- Own the reliability of the checkout service.',
        requirements: '- Experience with PostgreSQL and Kafka.',
      });
      const res = await generate(job.id, { competencies: ['技术深度'] });
      expect(res.body.language).toBe('en');
      expect(res.body.items.map((d) => d.text).join(' ')).toContain('designing and building payment APIs');
      expect(res.body.items[0]?.referenceAnswers).toEqual(
        expect.arrayContaining([...(BUILT_IN_COMPETENCIES.技术深度?.en ?? [])]),
      );
    });

    it('HR edits a draft, approves it into the bank as version 1, and sees it in the bank', async () => {
      const job = await newJob();
      const [draft] = (await generate(job.id, { competencies: ['结果导向'] })).body
        .items as QuestionDraftView[];
      const text = `请讲一次你把数据平台迁移按期上线的经历（${job.id}）：你本人做了什么，结果如何？`;
      const edited = await t.api('PUT', `/api/question-drafts/${draft?.id}`, {
        token: hr,
        body: {
          kind: 'behavioural',
          text,
          referenceAnswers: ['设定清晰可衡量的目标', '按期上线并说明数据'],
          competencies: ['结果导向'],
        },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.draft).toMatchObject({ text, edited: true, status: 'proposed' });
      const approved = await t.api('POST', `/api/question-drafts/${draft?.id}/approve`, { token: hr });
      expect(approved.status).toBe(200);
      expect(approved.body.question).toMatchObject({
        version: 1,
        latest: true,
        text,
        competencies: ['结果导向'],
        referenceAnswers: ['设定清晰可衡量的目标', '按期上线并说明数据'],
      });
      expect(approved.body.draft).toMatchObject({
        status: 'approved',
        bankQuestion: { id: approved.body.question.id, key: approved.body.question.key, version: 1 },
      });
      const bank = await t.api('GET', `/api/question-bank?q=${encodeURIComponent(`（${job.id}）`)}`, {
        token: hr,
      });
      expect(bank.body.items.map((q: { id: number }) => q.id)).toEqual([approved.body.question.id]);
      const em = t.orm.em.fork();
      expect(
        await em.count(AuditLog, {
          action: 'bank_question.created',
          objectId: String(approved.body.question.id),
        }),
      ).toBe(1);
      expect(
        await em.count(AuditLog, { action: 'question_draft.approved', objectId: String(draft?.id) }),
      ).toBe(1);
      // Decided: no more edits, no second approval, no discard.
      const again = await t.api('POST', `/api/question-drafts/${draft?.id}/approve`, { token: hr });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('question_draft_decided');
      const late = await t.api('PUT', `/api/question-drafts/${draft?.id}`, {
        token: hr,
        body: {
          kind: 'behavioural',
          text: '改晚了的题目文本',
          referenceAnswers: ['x'],
          competencies: ['结果导向'],
        },
      });
      expect(late.status).toBe(409);
      expect((await t.api('POST', `/api/question-drafts/${draft?.id}/discard`, { token: hr })).status).toBe(
        409,
      );
      expect(await em.count(BankQuestion, { text })).toBe(1);
    });

    it('approving concurrently creates exactly one bank question', async () => {
      const job = await newJob();
      const [draft] = (await generate(job.id, { competencies: ['客户导向'] })).body
        .items as QuestionDraftView[];
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          t.api('POST', `/api/question-drafts/${draft?.id}/approve`, { token: hr }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
      expect(await t.orm.em.fork().count(BankQuestion, { text: draft?.text })).toBe(1);
    });

    it('a draft the bank refuses as a duplicate stays proposed for HR to edit', async () => {
      const job = await newJob();
      const first = (await generate(job.id, { competencies: ['用户洞察'] })).body
        .items as QuestionDraftView[];
      const second = (await generate(job.id, { competencies: ['用户洞察'] })).body
        .items as QuestionDraftView[];
      expect(second[0]?.text).toBe(first[0]?.text);
      expect(
        (await t.api('POST', `/api/question-drafts/${first[0]?.id}/approve`, { token: hr })).status,
      ).toBe(200);
      const dup = await t.api('POST', `/api/question-drafts/${second[0]?.id}/approve`, { token: hr });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('duplicate');
      const row = await t.orm.em.fork().findOneOrFail(QuestionDraft, { id: second[0]?.id });
      expect(row).toMatchObject({ status: 'proposed', bankQuestion: null, decidedAt: null });
    });

    it('HR discards a draft (audited); it cannot be approved afterwards', async () => {
      const job = await newJob();
      const [draft] = (await generate(job.id, { competencies: ['谈判能力'] })).body
        .items as QuestionDraftView[];
      const res = await t.api('POST', `/api/question-drafts/${draft?.id}/discard`, { token: hr });
      expect(res.status).toBe(200);
      expect(res.body.draft).toMatchObject({ status: 'discarded', bankQuestion: null });
      expect(res.body.draft.decidedAt).not.toBeNull();
      expect(
        await t.orm.em
          .fork()
          .count(AuditLog, { action: 'question_draft.discarded', objectId: String(draft?.id) }),
      ).toBe(1);
      expect((await t.api('POST', `/api/question-drafts/${draft?.id}/approve`, { token: hr })).status).toBe(
        409,
      );
      const discarded = await t.api('GET', `/api/jobs/${job.id}/question-drafts?status=discarded`, {
        token: hr,
      });
      expect(discarded.body.items.map((d: QuestionDraftView) => d.id)).toEqual([draft?.id]);
    });
  });

  describe('permissions and bad input', () => {
    it('only HR (job.manage) may generate, list, edit, approve or discard', async () => {
      const job = await newJob();
      const [draft] = (await generate(job.id, { competencies: ['问题解决'] })).body
        .items as QuestionDraftView[];
      for (const token of [mgr, int01, cand]) {
        const calls = [
          t.api('POST', `/api/jobs/${job.id}/question-drafts`, {
            token,
            body: { competencies: ['问题解决'] },
          }),
          t.api('GET', `/api/jobs/${job.id}/question-drafts`, { token }),
          t.api('PUT', `/api/question-drafts/${draft?.id}`, {
            token,
            body: {
              kind: 'situational',
              text: '别人改的题目文本',
              referenceAnswers: ['x'],
              competencies: ['问题解决'],
            },
          }),
          t.api('POST', `/api/question-drafts/${draft?.id}/approve`, { token }),
          t.api('POST', `/api/question-drafts/${draft?.id}/discard`, { token }),
        ];
        for (const r of await Promise.all(calls)) expect(r.status).toBe(403);
      }
      expect((await t.api('GET', `/api/jobs/${job.id}/question-drafts`)).status).toBe(401);
      const row = await t.orm.em.fork().findOneOrFail(QuestionDraft, { id: draft?.id });
      expect(row).toMatchObject({ status: 'proposed', edited: false, text: draft?.text });
    });

    it('bad input is a 400 naming the field, and nothing is written', async () => {
      const job = await newJob();
      const em = t.orm.em.fork();
      const before = await em.count(QuestionDraft, {});
      const cases: Array<[unknown, string]> = [
        [{}, 'body.competencies'],
        [{ competencies: [] }, 'body.competencies'],
        [{ competencies: ['问题解决', '不存在的能力'] }, 'body.competencies.1'],
        [{ competencies: ['问题解决'], perKind: 9 }, 'body.perKind'],
        [{ competencies: ['问题解决'], language: 'fr' }, 'body.language'],
        [{ competencies: ['问题解决'], extra: 1 }, 'body.extra'],
      ];
      for (const [body, field] of cases) {
        const res = await generate(job.id, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect((res.body as any).error.details[0].field).toBe(field);
      }
      expect(await em.count(QuestionDraft, {})).toBe(before);
      expect((await generate(999_999, { competencies: ['问题解决'] })).status).toBe(404);
      const [draft] = (await generate(job.id, { competencies: ['问题解决'] })).body
        .items as QuestionDraftView[];
      const bad = await t.api('PUT', `/api/question-drafts/${draft?.id}`, {
        token: hr,
        body: { kind: 'story', text: '一道题目的文本', referenceAnswers: ['x'], competencies: ['问题解决'] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe('body.kind');
      const noRefs = await t.api('PUT', `/api/question-drafts/${draft?.id}`, {
        token: hr,
        body: {
          kind: 'behavioural',
          text: '一道题目的文本',
          referenceAnswers: [],
          competencies: ['问题解决'],
        },
      });
      expect(noRefs.body.error.details[0].field).toBe('body.referenceAnswers');
      const unknown = await t.api('PUT', `/api/question-drafts/${draft?.id}`, {
        token: hr,
        body: {
          kind: 'behavioural',
          text: '一道题目的文本',
          referenceAnswers: ['x'],
          competencies: ['无此能力'],
        },
      });
      expect(unknown.body.error.details[0].field).toBe('body.competencies.0');
      expect((await em.fork().findOneOrFail(QuestionDraft, { id: draft?.id })).edited).toBe(false);
      expect((await t.api('POST', '/api/question-drafts/999999/approve', { token: hr })).status).toBe(404);
    });
  });

  describe('with an LLM', () => {
    it('uses a registered response that holds up, recording prompt version, model and messages', async () => {
      const job = await newJob();
      const questions = [
        {
          kind: 'behavioural',
          competency: '问题解决',
          text: '请讲一次实时数仓的 Flink 任务延迟飙升、你定位并解决的经历：你本人做了什么，结果如何？',
          referencePoints: [
            '能定位到反压或数据倾斜等根因',
            '比较过扩容与改逻辑两种方案',
            '给出延迟下降的数据',
          ],
          indicators: ['定位问题的根本原因', '用数据验证效果'],
        },
        {
          kind: 'situational',
          competency: '问题解决',
          text: '假设数据平台凌晨的离线任务大面积失败、早上业务报表要用，你会怎么处理？',
          referencePoints: ['先止血保障报表', '再查根因并复盘'],
          indicators: ['复盘并预防再次发生'],
        },
      ];
      await t.sandbox.registerLlmResponse({
        match: job.title,
        content: JSON.stringify({ questions }),
        model: 'qwen-plus-2025-01-25',
      });
      const res = await generate(job.id, { competencies: ['问题解决'] }, withLlm.api);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ source: 'llm', fallbackReason: null });
      expect(res.body.items.map((d) => d.text)).toEqual(questions.map((q) => q.text));
      expect(res.body.items[0]).toMatchObject({
        source: 'llm',
        referenceAnswers: questions[0]?.referencePoints,
        indicators: questions[0]?.indicators,
        llm: { promptVersion: QGEN_PROMPT_VERSION, model: 'qwen-plus-2025-01-25', discarded: null },
      });
      const row = await t.orm.em.fork().findOneOrFail(QuestionDraft, { id: res.body.items[0]?.id });
      const llm = row.llm as { messages: Array<{ content: string }>; output: string };
      expect(llm.messages.at(-1)?.content).toContain(job.title);
      expect(llm.messages.at(-1)?.content).toContain('实时数仓的设计与开发');
      expect(llm.output).toContain('Flink');
    });

    it.each([
      ['not JSON', 'Sure! Here are some questions: ...', /not valid JSON/],
      [
        'a competency left without a situational question',
        JSON.stringify({
          questions: [
            {
              kind: 'behavioural',
              competency: '沟通协作',
              text: '请讲一次你推动跨团队达成共识的经历。',
              referencePoints: ['对齐目标'],
              indicators: ['推动达成共识'],
            },
          ],
        }),
        /no situational question for 沟通协作/,
      ],
      [
        'an indicator the competency does not have',
        JSON.stringify({
          questions: ['behavioural', 'situational'].map((kind) => ({
            kind,
            competency: '沟通协作',
            text: '请讲一次你和产品经理意见不一致的经历。',
            referencePoints: ['倾听'],
            indicators: ['情绪稳定'],
          })),
        }),
        /indicator "情绪稳定" is not one of 沟通协作's/,
      ],
      [
        'a question about a protected attribute',
        JSON.stringify({
          questions: ['behavioural', 'situational'].map((kind, i) => ({
            kind,
            competency: '沟通协作',
            text: i
              ? '假设团队有人反对你的方案，你会怎么沟通？'
              : '你已婚吗？家人支持你经常加班和跨团队协作吗？',
            referencePoints: ['倾听'],
            indicators: ['推动达成共识'],
          })),
        }),
        /questions\.0: asks about a protected attribute/,
      ],
    ])('falls back to the rules on %s, recording why', async (_what, content, reason) => {
      const job = await newJob();
      await t.sandbox.registerLlmResponse({ match: job.title, content });
      const res = await generate(job.id, { competencies: ['沟通协作'] }, withLlm.api);
      expect(res.status).toBe(201);
      expect(res.body.source).toBe('rules');
      expect(res.body.fallbackReason).toMatch(reason);
      expect(res.body.items).toHaveLength(2);
      for (const d of res.body.items) {
        expect(d.source).toBe('rules');
        expect(d.llm).toMatchObject({ promptVersion: QGEN_PROMPT_VERSION, model: 'qwen-plus' });
        expect(d.llm?.discarded).toMatch(reason);
      }
      const row = await t.orm.em.fork().findOneOrFail(QuestionDraft, { id: res.body.items[0]?.id });
      expect((row.llm as { output?: string }).output).toBe(content);
    });

    it('falls back to the rules when the endpoint has nothing to say', async () => {
      const job = await newJob();
      const res = await generate(job.id, { competencies: ['沟通协作'] }, withLlm.api);
      expect(res.body.source).toBe('rules');
      expect(res.body.fallbackReason).toMatch(/endpoint answered 503/);
    });
  });
});
