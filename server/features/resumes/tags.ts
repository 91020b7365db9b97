/**
 * Talent-pool entries and HR's tags on them (issue 15 item 4).
 *
 * An entry is one person: the pooled candidate records that share a mobile, an e-mail, or a name
 * and a school are merged into one entry when the pool is read (nothing is rewritten), so tags
 * are stored per candidate record and an entry shows the union of its records' tags. Adding puts
 * the tag on the record HR named; removing takes it off every record of the entry, or the union
 * would bring it back. Tags live only while the person is in the pool: withdrawing the pool
 * consent, the consent's end (retention) and erasure delete them.
 */
import { LockMode } from '@mikro-orm/core';
import { normalizePoolTag, POOL_TAGS_MAX, type PoolTagsBody, poolTagKey } from '../../../shared/api/resumes';
import { type AuditContext, audit } from '../../kernel/audit';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { CandidateTag, Resume } from '../../kernel/db/entities/Resume';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { placeholders } from '../../kernel/db/raw';
import { AppError, notFound } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { poolEntryOf } from './poolGroups';

/** The tags of some candidate records, by candidate id (one query). */
export async function tagsByCandidate(em: Em, candidateIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!candidateIds.length) return out;
  const rows = await em.find(
    CandidateTag,
    { candidate: { $in: candidateIds } },
    { fields: ['candidate', 'tag'], orderBy: { id: 'asc' } },
  );
  for (const r of rows) out.set(r.candidate.id, [...(out.get(r.candidate.id) ?? []), r.tag]);
  return out;
}

/**
 * The union of some records' tags, one spelling per tag (the first seen), sorted case-insensitively
 * so an entry's tags read the same however its records were tagged.
 */
export function unionTags(byCandidate: Map<number, string[]>, candidateIds: Iterable<number>): string[] {
  const seen = new Map<string, string>();
  for (const id of candidateIds)
    for (const t of byCandidate.get(id) ?? []) if (!seen.has(poolTagKey(t))) seen.set(poolTagKey(t), t);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
}

/**
 * Candidate records carrying any of `tags` (compared by key). One indexed lookup on
 * `(key, candidate_id)`, whatever the pool's size.
 */
export async function candidatesWithAnyTag(em: Em, tags: string[]): Promise<Set<number>> {
  const keys = [...new Set(tags.map(poolTagKey))];
  if (!keys.length) return new Set();
  const rows = await em.execute<Array<{ c: number | string }>>(
    `select distinct candidate_id as c from candidate_tags where \`key\` in (${placeholders(keys.length)})`,
    keys,
  );
  return new Set(rows.map((r) => Number(r.c)));
}

/** Props of {@link changePoolTags}. */
export interface ChangePoolTagsProps {
  em: Em;
  actor: Actor;
  /** Any candidate record of the entry. */
  candidateId: number;
  body: PoolTagsBody;
  now: Date;
  context: AuditContext;
}

/**
 * HR adds and removes tags on a pool entry, in one transaction with its audit entry. The entry's
 * records are locked first, so two HR people tagging the same person at once are applied one
 * after the other and the limit of {@link POOL_TAGS_MAX} holds. Returns the entry's tags after.
 * 404 when the candidate is not in the pool; 400 naming `body.add` when the entry would carry
 * more than the limit (nothing changes).
 */
export async function changePoolTags(p: ChangePoolTagsProps): Promise<string[]> {
  const entry = await poolEntryOf(p.em, p.candidateId, p.now);
  // Not pooled (never, withdrawn, expired, erased) and unknown look the same.
  if (!entry) throw notFound('Candidate in the talent pool');
  const ids = entry.members.map((m) => m.candidate.id).sort((a, b) => a - b);
  return p.em.transactional(async (tx) => {
    await tx.find(
      Candidate,
      { id: { $in: ids } },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    // A consent withdrawn since the pool was read (its command takes the same lock): no tags.
    const still = await tx.count(Resume, {
      candidate: { $in: ids },
      status: 'parsed',
      poolUntil: { $gt: p.now },
    });
    if (!still) throw notFound('Candidate in the talent pool');
    const rows = await tx.find(CandidateTag, { candidate: { $in: ids } }, { orderBy: { id: 'asc' } });
    const removeKeys = new Set(p.body.remove.map(poolTagKey));
    const removed = rows.filter((r) => removeKeys.has(r.key));
    const kept = rows.filter((r) => !removeKeys.has(r.key));
    const have = new Set(kept.map((r) => r.key));
    const added: string[] = [];
    for (const raw of p.body.add) {
      const tag = normalizePoolTag(raw);
      const key = poolTagKey(tag);
      if (have.has(key)) continue;
      have.add(key);
      added.push(tag);
    }
    if (have.size > POOL_TAGS_MAX)
      throw new AppError(
        'resume_tags_too_many',
        `A candidate carries at most ${POOL_TAGS_MAX} tags; this would make ${have.size} (field "add")`,
        { field: 'body.add', max: POOL_TAGS_MAX },
      );
    for (const r of removed) tx.remove(r);
    for (const tag of added)
      tx.create(CandidateTag, {
        candidate: p.candidateId,
        tag,
        key: poolTagKey(tag),
        createdBy: p.actor.kind === 'employee' ? tx.getReference(User, p.actor.id) : null,
      });
    if (added.length || removed.length)
      audit(
        tx,
        p.actor,
        'resume.tags_changed',
        { type: 'candidate', id: p.candidateId },
        { added, removed: [...new Set(removed.map((r) => r.tag))], records: ids },
        p.context,
      );
    await tx.flush();
    const after = new Map<number, string[]>();
    for (const r of kept) after.set(r.candidate.id, [...(after.get(r.candidate.id) ?? []), r.tag]);
    after.set(p.candidateId, [...(after.get(p.candidateId) ?? []), ...added]);
    return unionTags(after, ids);
  });
}

/**
 * The company's tags for the picker, most used first: one spelling per tag and how many candidate
 * records carry it; `q` keeps those containing it (case-insensitively).
 */
export async function tagSuggestions(
  em: Em,
  q: string,
  limit: number,
): Promise<Array<{ tag: string; count: number }>> {
  const needle = q ? poolTagKey(q) : '';
  const rows = await em.execute<Array<{ tag: string; n: number | string }>>(
    `select min(tag) as tag, count(*) as n from candidate_tags${needle ? ' where instr(`key`, ?) > 0' : ''}
      group by \`key\` order by n desc, \`key\` asc limit ?`,
    needle ? [needle, limit] : [limit],
  );
  return rows.map((r) => ({ tag: r.tag, count: Number(r.n) }));
}

/**
 * Deletes the tags of those of `candidateIds` that have no résumé in the pool any more (pool
 * consent withdrawn or ended, résumés erased). Returns how many tags went.
 */
export async function dropTagsOutsidePool(em: Em, candidateIds: number[], now: Date): Promise<number> {
  if (!candidateIds.length) return 0;
  const pooled = new Set(
    (
      await em.find(
        Resume,
        { candidate: { $in: candidateIds }, status: { $ne: 'erased' }, poolUntil: { $gt: now } },
        { fields: ['candidate'] },
      )
    ).map((r) => r.candidate.id),
  );
  const gone = candidateIds.filter((id) => !pooled.has(id));
  if (!gone.length) return 0;
  return em.nativeDelete(CandidateTag, { candidate: { $in: gone } });
}

/** Candidate records holding any tag (the retention run checks them against the pool). */
export async function taggedCandidates(em: Em): Promise<number[]> {
  const rows = await em.execute<Array<{ c: number | string }>>(
    'select distinct candidate_id as c from candidate_tags',
  );
  return rows.map((r) => Number(r.c));
}
