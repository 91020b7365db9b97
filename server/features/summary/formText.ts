/**
 * The summary in words for the 录用 approval form (DingTalk forms are in Chinese, like the other
 * approval fields): the combined score, its rule, every assessment's score, the suggestion with
 * its reasons and the follow-up items. The mini-app words the same facts from its catalogues;
 * this is the record sent to DingTalk.
 */
import type {
  SummaryFollowUpItem,
  SummaryRater,
  SummaryReason,
  SummaryRulesResponse,
  SummarySuggestion,
} from '../../../shared/api/summary';
import { peopleRuleText, type SummaryOutput } from './combine';

/** The summary's approval-form values, by form label (the workflow's offer form declares these labels). */
export interface SummaryFormValues {
  /** The AI's overall score of the report the summary is built on (the same number as the rule's). */
  AI综合评分: string;
  综合评分: string;
  综合评分规则: string;
  人工评分: string;
  总结建议: string;
  待跟进事项: string;
}

const SUGGESTION: Record<SummarySuggestion, string> = {
  hire: '录用',
  second_round: '复试',
  reject: '不录用',
};

const REASON: Record<SummaryReason['key'], (p: SummaryReason['params']) => string> = {
  combined_at_or_above_pass: (p) => `综合得分 ${p.score} 达到通过线 ${p.pass}`,
  combined_between: (p) => `综合得分 ${p.score} 介于淘汰线 ${p.reject} 与通过线 ${p.pass} 之间`,
  combined_below_reject: (p) => `综合得分 ${p.score} 低于淘汰线 ${p.reject}`,
  no_human_ratings: () => '尚无人工评分，不能只凭 AI 给出录用或不录用建议',
  raters_disagree: (p) => `评分人在以下能力上分歧较大：${p.competencies}`,
  ai_people_disagree: (p) => `AI 与人工评分相差 ${p.spread} 分`,
  needs_review: () => '报告被标记为需人工复核',
  person_only: () => '候选人选择仅由人工评估',
};

const ITEM: Record<SummaryFollowUpItem['kind'], string> = {
  open_question: '未解决的问题',
  certificate: '核实证书',
  reference: '背景调查 / 联系推荐人',
};
const ITEM_DETAIL: Record<NonNullable<SummaryFollowUpItem['detail']>, string> = {
  unanswered: '候选人尚未回答追问',
  withdrawn: '追问已取消',
  weak_answer: '追问回答仍不充分',
};

const SOURCE: Record<SummaryRater['source'], string> = { report: '报告评分', live_round: '现场面试评分卡' };

/** Words the summary (over every rater) as the approval form's values. */
export function summaryFormText(
  s: SummaryOutput,
  raters: SummaryRater[],
  items: SummaryFollowUpItem[],
  rules: SummaryRulesResponse,
  ai: number | null,
): SummaryFormValues {
  const rated = raters.filter((r) => r.ratings.length);
  return {
    AI综合评分: ai === null ? '（仅人工评估）' : String(ai),
    综合评分: s.combined === null ? '—' : String(s.combined),
    综合评分规则: [
      `${s.formula}${rules.custom ? '（本职位设定的权重）' : '（默认权重）'}`,
      peopleRuleText(s.sources),
      `分歧提示阈值：${rules.disagreementPoints} 分${s.disagreements.length ? '（已触发）' : ''}`,
    ].join('\n'),
    人工评分: rated.length
      ? rated
          .map(
            (r) =>
              `· ${r.name}（${SOURCE[r.source]}）：${r.score} 分｜` +
              r.ratings.map((x) => `${x.competency} ${x.score}/5`).join('，') +
              (r.comment ? `｜“${r.comment}”` : ''),
          )
          .join('\n')
      : '尚无人工评分',
    总结建议: [
      `${SUGGESTION[s.suggestion]}（建议，仅供参考，由人决定）`,
      ...s.reasons.map((r) => `· ${REASON[r.key](r.params)}`),
    ].join('\n'),
    待跟进事项: items.length
      ? items
          .map(
            (i) =>
              `· ${ITEM[i.kind]}${i.text ? `：${i.text}` : ''}${i.detail ? `（${ITEM_DETAIL[i.detail]}）` : ''}`,
          )
          .join('\n')
      : '无',
  };
}
