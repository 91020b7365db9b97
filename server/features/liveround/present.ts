import type { ScorecardView } from '../../../shared/api/liveround';
import type { ILiveScorecard } from '../../kernel/db/entities/LiveScorecard';

/** A scorecard as its rater, HR or the hiring manager sees it; `null` row = not started (blank). */
export function presentScorecard(
  row: ILiveScorecard | null,
  blank: { bookingId: number; raterId: number; raterName: string; competencies: string[] },
): ScorecardView {
  if (!row)
    return {
      id: null,
      bookingId: blank.bookingId,
      raterId: blank.raterId,
      raterName: blank.raterName,
      status: 'none',
      ratings: blank.competencies.map((competency) => ({ competency, score: null, note: '' })),
      notes: '',
      submittedAt: null,
      updatedAt: null,
      editsAfterSubmit: 0,
    };
  // Competencies added to the plan after the draft was saved show as unrated.
  const ratings = blank.competencies.map(
    (competency) =>
      row.ratings.find((r) => r.competency === competency) ?? { competency, score: null, note: '' },
  );
  for (const r of row.ratings) if (!blank.competencies.includes(r.competency)) ratings.push(r);
  return {
    id: row.id,
    bookingId: row.bookingId,
    raterId: row.raterId,
    raterName: blank.raterName,
    status: row.status,
    ratings,
    notes: row.notes,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
    editsAfterSubmit: row.editsAfterSubmit,
  };
}
