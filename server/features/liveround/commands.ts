/**
 * Scorecard writes. A rater saves drafts as often as they like; submitting happens once (a
 * conditional update from `draft`, so two simultaneous submits give one 200 and one 409); an
 * edit after submission is allowed and every one is audited with what changed.
 */
import type { ScorecardBody } from '../../../shared/api/liveround';
import { audit } from '../../kernel/audit';
import {
  type ILiveScorecard,
  LiveScorecard,
  type ScorecardRating,
} from '../../kernel/db/entities/LiveScorecard';
import type { Em } from '../../kernel/db/orm';
import { badRequest, conflict, validationError } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { assertLiveRound, type LiveRound, scorecardCompetencies } from './data';

/** Props of {@link saveScorecard}. */
export interface SaveScorecardProps {
  actor: Actor & { kind: 'employee' };
  round: LiveRound;
  body: ScorecardBody;
}

/**
 * The ratings of `body` laid over the scorecard's competencies, in their order: a competency the
 * body leaves out stays unrated; one the scorecard does not rate is refused naming the field.
 */
function normalise(competencies: string[], body: ScorecardBody): ScorecardRating[] {
  const seen = new Set<string>();
  body.ratings.forEach((r, i) => {
    if (!competencies.includes(r.competency))
      throw validationError([
        {
          field: `body.ratings.${i}.competency`,
          message: `"${r.competency}" is not a competency of this live round (${competencies.join(', ')})`,
          kind: 'invalid',
        },
      ]);
    if (seen.has(r.competency))
      throw validationError([
        {
          field: `body.ratings.${i}.competency`,
          message: `"${r.competency}" is rated twice`,
          kind: 'invalid',
        },
      ]);
    seen.add(r.competency);
  });
  return competencies.map((competency) => {
    const r = body.ratings.find((x) => x.competency === competency);
    return { competency, score: r?.score ?? null, note: r?.note.trim() ?? '' };
  });
}

/** Saves the rater's scorecard: a draft before submission, an audited edit after. */
export async function saveScorecard(em: Em, p: SaveScorecardProps): Promise<ILiveScorecard> {
  assertLiveRound(p.actor, 'liveround.rate', p.round);
  const ratings = normalise(await scorecardCompetencies(em, p.round), p.body);
  return em.transactional(async (tx) => {
    const key = { bookingId: p.round.booking.id, raterId: p.actor.id };
    let card = await tx.findOne(LiveScorecard, key);
    if (!card) {
      card = tx.create(LiveScorecard, {
        ...key,
        applicationId: p.round.applicationId,
        jobId: p.round.job.id,
        ratings,
        notes: p.body.notes.trim(),
      });
      await tx.flush();
      return card;
    }
    if (card.status === 'submitted') {
      const changed = ratings
        .map((r) => ({ r, was: card?.ratings.find((x) => x.competency === r.competency) }))
        .filter(({ r, was }) => was?.score !== r.score || (was?.note ?? '') !== r.note)
        .map(({ r, was }) => ({ competency: r.competency, from: was?.score ?? null, to: r.score }));
      const notesChanged = card.notes !== p.body.notes.trim();
      if (!changed.length && !notesChanged) return card;
      if (ratings.some((r) => r.score === null))
        throw badRequest('scorecard_incomplete', 'A submitted scorecard keeps a rating for every competency');
      card.editsAfterSubmit += 1;
      audit(
        tx,
        p.actor,
        'liveround.scorecard_edited',
        { type: 'live_scorecard', id: card.id },
        {
          bookingId: p.round.booking.id,
          changed,
          notesChanged,
        },
      );
    }
    card.ratings = ratings;
    card.notes = p.body.notes.trim();
    await tx.flush();
    return card;
  });
}

/** Submits the rater's scorecard once: every competency rated; a second submit is 409. */
export async function submitScorecard(
  em: Em,
  p: { actor: Actor & { kind: 'employee' }; round: LiveRound; now: Date },
): Promise<ILiveScorecard> {
  assertLiveRound(p.actor, 'liveround.rate', p.round);
  const competencies = await scorecardCompetencies(em, p.round);
  return em.transactional(async (tx) => {
    const card = await tx.findOne(LiveScorecard, { bookingId: p.round.booking.id, raterId: p.actor.id });
    if (card?.status === 'submitted')
      throw conflict('scorecard_submitted', 'This scorecard was already submitted');
    const unrated = competencies.filter((c) => card?.ratings.find((r) => r.competency === c)?.score == null);
    if (!card || unrated.length)
      throw badRequest(
        'scorecard_incomplete',
        `Rate every competency before submitting: ${unrated.join(', ')}`,
        {
          unrated,
        },
      );
    // From draft only: of two simultaneous submits exactly one changes a row.
    const n = await tx.nativeUpdate(
      LiveScorecard,
      { id: card.id, status: 'draft' },
      { status: 'submitted', submittedAt: p.now },
    );
    if (n !== 1) throw conflict('scorecard_submitted', 'This scorecard was already submitted');
    audit(
      tx,
      p.actor,
      'liveround.scorecard_submitted',
      { type: 'live_scorecard', id: card.id },
      {
        bookingId: p.round.booking.id,
        ratings: card.ratings.map((r) => ({ competency: r.competency, score: r.score })),
      },
    );
    await tx.flush();
    await tx.refresh(card);
    return card;
  });
}

/**
 * A deletion request: clears the free-text notes of every scorecard of these applications. The
 * 1-5 scores stay (like report ratings they carry no text about the person, and agreement
 * statistics read them). Returns how many scorecards were cleared.
 */
export async function clearScorecardNotes(em: Em, applicationIds: number[]): Promise<number> {
  if (!applicationIds.length) return 0;
  const rows = await em.find(LiveScorecard, { applicationId: { $in: applicationIds } });
  for (const r of rows) {
    r.notes = '';
    r.ratings = r.ratings.map((x) => ({ ...x, note: '' }));
  }
  await em.flush();
  return rows.length;
}
