import type { ResumeView } from '../../../shared/api/resumes';
import type { IResume } from '../../kernel/db/entities/Resume';

/** A résumé row as the API shows it (to its candidate and to HR). */
export function presentResume(r: IResume): ResumeView {
  return {
    id: r.id,
    candidateId: r.candidate.id,
    jobId: r.job?.id ?? null,
    fileName: r.fileName,
    kind: r.kind,
    size: r.size,
    pages: r.pages ?? null,
    status: r.status,
    errorCode: r.errorCode ?? null,
    method: r.method ?? null,
    text: r.text ?? null,
    profile: r.profile ?? null,
    poolUntil: r.poolUntil?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}
