import { duplicateGroups } from '../../shared/resumes/duplicates';
import type { IResume } from '../kernel/db/entities/Resume';
import { Resume } from '../kernel/db/entities/Resume';
import type { Em } from '../kernel/db/orm';

/**
 * The talent pool grouped as the listing did before it was paged in SQL: every pooled résumé
 * read, each candidate's latest kept, and people grouped in memory by shared mobile, e-mail or
 * name and school. The paging tests' oracle and the pool bench's baseline.
 */
export async function inMemoryPoolGroups(em: Em, now: Date) {
  const rows = await em.find(
    Resume,
    { status: 'parsed', poolUntil: { $gt: now } },
    { populate: ['candidate'], orderBy: { id: 'desc' } },
  );
  const latest = new Map<number, IResume>();
  for (const r of rows) if (!latest.has(r.candidate.id)) latest.set(r.candidate.id, r);
  const groups = duplicateGroups(
    [...latest.values()].map((r) => ({
      id: r.candidate.id,
      name: r.candidate.name,
      mobiles: [r.candidate.mobile, r.profile?.contact.mobile?.value].filter((x): x is string => !!x),
      emails: [r.candidate.email, r.profile?.contact.email?.value].filter((x): x is string => !!x),
      schools: (r.profile?.education ?? []).flatMap((e) => (e.school ? [e.school.value] : [])),
    })),
  );
  return { latest, groups };
}
