import type { BankQuestionView, CompetencyView, JobView } from '../../../shared/api/jobs';
import { type IJob, jobState } from '../../kernel/db/entities/Job';
import type { IBankQuestion, ICompetency } from '../../kernel/db/entities/QuestionBank';

/** A job for HR's list and form (department and hiring manager must be populated). */
export function presentJob(j: IJob): JobView {
  return {
    id: j.id,
    title: j.title,
    status: jobState(j),
    department: { id: j.department.id, name: j.department.name ?? '' },
    location: j.location,
    headcount: j.headcount,
    description: j.description,
    requirements: j.requirements,
    hiringManager: j.hiringManager ? { id: j.hiringManager.id, name: j.hiringManager.name ?? '' } : null,
    hiringGroupConversationId: j.hiringGroupConversationId ?? null,
    version: j.version,
    updatedAt: j.updatedAt.toISOString(),
  };
}

/** A bank question version. */
export function presentBankQuestion(q: IBankQuestion): BankQuestionView {
  return {
    id: q.id,
    key: q.key,
    version: q.version,
    latest: q.latest,
    archived: q.archived,
    text: q.text,
    competencies: q.competencies,
    answerType: q.answerType,
    thinkSeconds: q.thinkSeconds,
    answerSeconds: q.answerSeconds,
    retakes: q.retakes,
    referenceAnswers: q.referenceAnswers,
    createdAt: q.createdAt.toISOString(),
  };
}

/** A competency version of the library. */
export function presentCompetency(c: ICompetency): CompetencyView {
  return {
    id: c.id,
    name: c.name,
    version: c.version,
    description: c.description,
    indicatorsZh: c.indicatorsZh,
    indicatorsEn: c.indicatorsEn,
  };
}
