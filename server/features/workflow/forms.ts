/**
 * The approval forms (复试审批, 录用审批, 便利安排审批): their field definitions for `formCreate` and the
 * values sent with `startProcessInstance`. Labels are the join key (DingTalk matches
 * `formComponentValues[].name` to the component label), so both come from one list.
 */
import type { ApprovalKind, OfferTerms } from '../../../shared/api/workflow';
import type { ReportReadyData } from '../../../shared/events';
import type { FormFieldDef } from '../../kernel/integrations/dingtalk/workflow';

/** Bump when the field list changes: the setup pushes the new form as an update. */
export const FORM_VERSION = 3;

/** Label of the reference field: `AIV-<approval id>`, which ties a DingTalk instance to our row. */
export const REFERENCE_LABEL = '申请编号';

const COMMON: FormFieldDef[] = [
  { componentType: 'TextField', id: 'candidate', label: '候选人', required: true },
  { componentType: 'TextField', id: 'job', label: '应聘岗位', required: true },
  { componentType: 'NumberField', id: 'overall', label: 'AI综合评分' },
  { componentType: 'TextareaField', id: 'competencies', label: '各项能力评分' },
  { componentType: 'TextareaField', id: 'strengths', label: '优势' },
  { componentType: 'TextareaField', id: 'gaps', label: '待提升' },
  { componentType: 'TextareaField', id: 'evidence', label: '面试原话摘录' },
  { componentType: 'TextField', id: 'recommendation', label: 'AI建议' },
  { componentType: 'TextField', id: 'report', label: '报告链接' },
  { componentType: 'TextField', id: 'ref', label: REFERENCE_LABEL },
];

const OFFER: FormFieldDef[] = [
  { componentType: 'TextField', id: 'salary', label: '薪资', required: true },
  { componentType: 'TextField', id: 'level', label: '职级', required: true },
  { componentType: 'DDDateField', id: 'startDate', label: '入职日期', required: true },
];

/**
 * The 面试总结报告 on the 录用 form: the combined score with its rule, every person's scores
 * (report ratings and live-round scorecards), the suggestion with reasons and what to follow
 * up. Labels match the summary feature's `SummaryFormValues` keys.
 */
const OFFER_SUMMARY: FormFieldDef[] = [
  { componentType: 'TextField', id: 'combined', label: '综合评分' },
  { componentType: 'TextareaField', id: 'combinedRule', label: '综合评分规则' },
  { componentType: 'TextareaField', id: 'humanRatings', label: '人工评分' },
  { componentType: 'TextareaField', id: 'summarySuggestion', label: '总结建议' },
  { componentType: 'TextareaField', id: 'followUpItems', label: '待跟进事项' },
];

/** The common fields with these ids (the accommodation form has no scores). */
const commonFields = (...ids: string[]) => COMMON.filter((f) => ids.includes(f.id));

const ACCOMMODATION: FormFieldDef[] = [
  ...commonFields('candidate', 'job'),
  { componentType: 'TextField', id: 'extraTime', label: '延长作答时间' },
  { componentType: 'TextField', id: 'retakes', label: '额外重录次数' },
  { componentType: 'TextField', id: 'audioOnly', label: '仅音频作答' },
  { componentType: 'TextareaField', id: 'note', label: '候选人说明' },
  ...commonFields('report', 'ref'),
];

/** Name, description and fields of each form template. */
export const FORM_TEMPLATES: Record<
  ApprovalKind,
  { name: string; description: string; fields: FormFieldDef[] }
> = {
  second_round: {
    name: '复试审批',
    description: 'AI 面试通过后，由 HR 与用人经理审批是否进入复试（表单由招聘系统预填）。',
    fields: COMMON,
  },
  offer: {
    name: '录用审批',
    description: '复试通过后的录用审批：候选人、评估摘要与薪资职级入职日期（表单由招聘系统预填）。',
    fields: [...COMMON, ...OFFER_SUMMARY, ...OFFER],
  },
  accommodation: {
    name: '便利安排审批',
    description:
      '候选人申请的 AI 面试便利安排（延长作答时间、额外重录、仅音频），审批通过即生效，仅适用于该候选人。',
    fields: ACCOMMODATION,
  },
};

/** What a form is filled from. */
export interface FormInput {
  candidateName: string;
  jobTitle: string;
  report: ReportReadyData | null;
  reportUrl: string;
  offer?: OfferTerms | null;
  /** The summary report's fields (录用 approvals), by form label. */
  summary?: Record<string, string> | null;
  /** What the candidate asked for (accommodation approvals). */
  accommodation?: { extraTimePercent: number; extraRetakes: number; audioOnly: boolean; note: string } | null;
}

/** Two or three evidence quotes, the highest-scoring competencies first. */
export function pickEvidence(report: ReportReadyData, max = 3): string[] {
  const quotes: string[] = [];
  const sorted = [...report.competencies].sort((a, b) => b.score - a.score);
  for (let round = 0; quotes.length < max && round < 3; round++) {
    for (const c of sorted) {
      const q = c.evidence[round];
      if (q && quotes.length < max) quotes.push(`【${c.name}】“${q}”`);
    }
  }
  return quotes;
}

/** `formComponentValues` for an approval; every value is a string, as DingTalk requires. */
export function formValues(kind: ApprovalKind, input: FormInput): Array<{ name: string; value: string }> {
  const r = input.report;
  const values: Record<string, string> = {
    候选人: input.candidateName,
    应聘岗位: input.jobTitle,
    AI综合评分: r ? String(Math.round(r.overall)) : '（仅人工评估）',
    各项能力评分: r ? r.competencies.map((c) => `${c.name}：${Math.round(c.score)}`).join('\n') : '—',
    优势: r?.strengths.length ? r.strengths.map((s) => `· ${s}`).join('\n') : '—',
    待提升: r?.gaps.length ? r.gaps.map((g) => `· ${g.competency}：${g.text}`).join('\n') : '—',
    面试原话摘录: r ? pickEvidence(r).join('\n') || '—' : '—',
    AI建议: r?.recommendation ?? '—',
    报告链接: input.reportUrl,
  };
  if (kind === 'accommodation' && input.accommodation) {
    const a = input.accommodation;
    values.延长作答时间 = a.extraTimePercent ? `+${a.extraTimePercent}%` : '不需要';
    values.额外重录次数 = String(a.extraRetakes);
    values.仅音频作答 = a.audioOnly ? '是' : '否';
    values.候选人说明 = a.note || '—';
  }
  if (kind === 'offer' && input.summary) Object.assign(values, input.summary);
  if (kind === 'offer' && input.offer) {
    values.薪资 = input.offer.salary;
    values.职级 = input.offer.level;
    values.入职日期 = input.offer.startDate;
  }
  return FORM_TEMPLATES[kind].fields
    .filter((f) => values[f.label] !== undefined)
    .map((f) => ({ name: f.label, value: values[f.label] as string }));
}

/**
 * Personalised feedback for a rejected candidate, built from the report's gaps and suggestions
 * (never the score itself). Without a report, a courteous generic note.
 */
export function rejectionFeedback(
  candidateName: string,
  jobTitle: string,
  report: ReportReadyData | null,
): string {
  const lines = [
    `${candidateName}，您好：`,
    `感谢您参加「${jobTitle}」岗位的面试。经过综合评估，这次我们暂时无法与您继续推进。`,
  ];
  const strengths = report?.strengths.slice(0, 2) ?? [];
  if (strengths.length) lines.push(`面试中我们注意到您的亮点：${strengths.join('；')}。`);
  const gaps = report?.gaps.slice(0, 3) ?? [];
  if (gaps.length) {
    lines.push('以下几点建议或许对您今后的求职有帮助：');
    for (const g of gaps) lines.push(`· ${g.competency}：${g.suggestion || g.text}`);
  }
  lines.push('再次感谢您的时间，祝您求职顺利！');
  return lines.join('\n');
}
