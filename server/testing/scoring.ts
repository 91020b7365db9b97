import type { SubmittedAnswer } from '../features/interview/contract';

/** A video answer to the demo's timeout question, for pipeline and route tests. */
export function submittedAnswer(
  over: Partial<SubmittedAnswer> & Pick<SubmittedAnswer, 'answerId'>,
): SubmittedAnswer {
  return {
    questionId: 1,
    position: 1,
    questionText: '线上服务突然出现大量超时，你会如何一步步定位并解决？',
    competencies: ['问题解决', '沟通协作'],
    indicators: {},
    referenceAnswers: [],
    expectedSeconds: 150,
    kind: 'video',
    objectKey: null,
    contentType: 'video/webm',
    text: null,
    durationMs: 110_000,
    flags: [],
    language: 'zh',
    ...over,
  };
}
