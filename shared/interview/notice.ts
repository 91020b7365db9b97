/**
 * The notice a candidate reads before the camera turns on (TRUST.md "Candidate rights"). The
 * server renders it, hashes the exact text, and stores the hash with every consent row, so it
 * is always provable which words a candidate agreed to. Pure data and functions (shared with
 * the mini-app).
 */

/** Bump when the wording changes; the hash changes with any edit anyway. */
export const NOTICE_VERSION = 'v1';

/** Facts the notice names. */
export interface NoticeFacts {
  company: string;
  jobTitle: string;
  retentionDays: number;
  contact: string;
  /** The plan asks follow-up questions (追问) after the answers: the candidate is told here. */
  followUps?: boolean;
}

/** A titled paragraph. */
export interface NoticeSection {
  id: 'controller' | 'purpose' | 'evaluated' | 'never' | 'access' | 'retention' | 'rights' | 'contact';
  title: string;
  body: string;
}

/** The notice in one locale. */
export function noticeSections(f: NoticeFacts, locale: 'zh-CN' | 'en'): NoticeSection[] {
  if (locale === 'en')
    return [
      {
        id: 'controller',
        title: 'Who processes your data',
        body: `${f.company} processes your recordings for its hiring, on its own DingTalk organisation and its storage.`,
      },
      {
        id: 'purpose',
        title: 'Purpose',
        body: `Your answers are recorded to assess your application for "${f.jobTitle}".`,
      },
      {
        id: 'evaluated',
        title: 'What is evaluated',
        body:
          'If you agree to AI evaluation, software turns your spoken answers into text and compares the words of your answers with the competencies of the job, with reasons. The AI only suggests; a person decides.' +
          (f.followUps
            ? ' After you submit, you may receive at most one follow-up question per answer (for example asking for a result or a specific example), by DingTalk message; your answer to it is evaluated the same way.'
            : ''),
      },
      {
        id: 'never',
        title: 'What is never evaluated',
        body: 'Your face, appearance, voice tone, accent and emotions are never evaluated. Sound is measured only to detect recordings that are silent or broken, which then go to a person.',
      },
      {
        id: 'access',
        title: 'Who sees it',
        body: 'HR and the interviewers assigned to this job.',
      },
      {
        id: 'retention',
        title: 'Retention',
        body: `Recordings and transcripts are deleted ${f.retentionDays} days after the final decision.`,
      },
      {
        id: 'rights',
        title: 'Your rights',
        body: 'You may choose evaluation by a person only, withdraw consent at any time (recording stops and your recordings are deleted), see your feedback and ask for a human review.',
      },
      { id: 'contact', title: 'Contact', body: f.contact },
    ];
  return [
    {
      id: 'controller',
      title: '谁处理您的信息',
      body: `${f.company}为招聘目的处理您的录制内容，数据保存在其钉钉组织与存储中。`,
    },
    { id: 'purpose', title: '目的', body: `录制您的回答，用于评估您应聘「${f.jobTitle}」的申请。` },
    {
      id: 'evaluated',
      title: '评估什么',
      body:
        '若您同意 AI 评估，系统会把您的口头回答转成文字，并将回答的内容与该岗位的能力要求进行比对，给出理由。AI 只提供建议，由人做决定。' +
        (f.followUps
          ? '提交后，您可能会通过钉钉消息收到追问（每道题最多一个，例如请您补充结果或具体例子），追问的回答按同样的方式评估。'
          : ''),
    },
    {
      id: 'never',
      title: '绝不评估什么',
      body: '绝不评估您的面部、外貌、语气、口音或情绪。声音只用于检测录制是否无声或损坏，此类录制会转交人工处理。',
    },
    { id: 'access', title: '谁能看到', body: 'HR 以及分配到该岗位的面试官。' },
    {
      id: 'retention',
      title: '保存期限',
      body: `录制内容与文字稿在最终结果确定后 ${f.retentionDays} 天删除。`,
    },
    {
      id: 'rights',
      title: '您的权利',
      body: '您可以选择仅由人工评估，可随时撤回同意（停止录制并删除您的录制内容），可查看反馈并申请人工复核。',
    },
    { id: 'contact', title: '联系方式', body: f.contact },
  ];
}

/** The exact text that is hashed: version, locale and every section, in order. */
export function noticeText(sections: NoticeSection[], locale: string): string {
  return [`${NOTICE_VERSION}|${locale}`, ...sections.map((s) => `${s.id}\n${s.title}\n${s.body}`)].join(
    '\n\n',
  );
}
