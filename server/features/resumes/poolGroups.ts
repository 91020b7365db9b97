/**
 * The talent pool's person groups, stored (issue 18): one `pool_members` row per pooled candidate
 * record (its newest parsed résumé under the pool consent) with the group it belongs to, and its
 * identity keys in `pool_keys`. The rule is the one of shared/resumes/duplicates.ts, unchanged:
 * records sharing a mobile, an e-mail, or a name with a school are one person, transitively.
 *
 * Storing the groups lets the listing filter and page in SQL (poolListing.ts) instead of reading
 * every pooled résumé. They are kept in step where what they depend on changes:
 * - {@link refreshPoolRecords}: after a résumé is parsed, a profile field is corrected, the pool
 *   consent is given or withdrawn, résumés are erased, or a candidate's contacts are filled in by
 *   a merge (`candidate.contacts_changed`). It recomputes those records and every group they
 *   were or now are in, following shared keys through `pool_keys` (a few indexed reads).
 * - {@link preparePool} before every read: a record whose consent ended since is refreshed (one
 *   indexed probe on `pool_until`), and groups built under an older rule version, or never (the
 *   migration leaves version 0), are rebuilt from the résumés.
 * - {@link rebuildPool}: everything from the résumés, also run by the daily retention job, so a
 *   change made outside these paths (a hand-made SQL fix) is repaired within a day.
 * Every change locks the one `pool_state` row first, so two regroupings never interleave (two
 * records joining one group at once would otherwise each see the group without the other).
 */
import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { ResumeProfile } from '../../../shared/api/resumes';
import { type DuplicateReason, type PersonKeys, personKeys } from '../../../shared/resumes/duplicates';
import { type IResume, PoolKey, PoolMember, PoolState, Resume } from '../../kernel/db/entities/Resume';
import type { Em } from '../../kernel/db/orm';
import { sqlDate as dateOf, placeholders } from '../../kernel/db/raw';
import { sqlDate } from '../../kernel/db/tx';

/**
 * Version of the grouping rule the stored groups follow. Raise it when the rule or what is
 * stored changes: the next read rebuilds every group.
 */
export const POOL_GROUPING_VERSION = 1;

/** IN lists are cut to this many values (MySQL and SQLite both take far more; this bounds a statement). */
const CHUNK = 500;

const chunks = <T>(xs: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/** Runs `sql` with one `(?, ...)` list per chunk of `ids` (the `%IN%` marker) and concatenates the rows. */
async function selectIn<T>(
  em: Em,
  sql: string,
  ids: readonly unknown[],
  before: unknown[] = [],
): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunks([...new Set(ids)]))
    out.push(
      ...(await em.execute<T[]>(sql.replace('%IN%', placeholders(part.length)), [...before, ...part])),
    );
  return out;
}

/** A key as stored: SHA-256 of the key, first 32 hex digits (exact in every collation, short to index). */
export function poolKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** The skills column: each skill lower-cased between newlines, so `\nskill\n` finds one exactly. */
export function skillsColumn(profile: ResumeProfile | null): string {
  const skills = (profile?.skills ?? []).map((s) => s.value.toLowerCase().replaceAll('\n', ' '));
  return `\n${skills.join('\n')}\n`;
}

/** What identifies the person of a pooled résumé (its record's contacts, the résumé's contacts and schools). */
export function personOf(
  candidate: { id: number; name: string; mobile?: string | null; email?: string | null },
  profile: ResumeProfile | null,
): PersonKeys {
  return {
    id: candidate.id,
    name: candidate.name,
    mobiles: [candidate.mobile, profile?.contact.mobile?.value].filter((x): x is string => !!x),
    emails: [candidate.email, profile?.contact.email?.value].filter((x): x is string => !!x),
    schools: (profile?.education ?? []).flatMap((e) => (e.school ? [e.school.value] : [])),
  };
}

interface PooledRow {
  id: number | string;
  candidate_id: number | string;
  pool_until: unknown;
  profile: unknown;
  name: string;
  mobile: string | null;
  email: string | null;
}

const POOLED_SELECT = `select r.id, r.candidate_id, r.pool_until, r.profile, c.name, c.mobile, c.email
  from resumes r join candidates c on c.id = r.candidate_id
  where r.status = 'parsed' and r.pool_until > ?`;

/** One record's rows to store: the member (group of its own until grouped) and its keys. */
function recordOf(row: PooledRow) {
  const profile = (
    typeof row.profile === 'string' ? JSON.parse(row.profile) : row.profile
  ) as ResumeProfile | null;
  const candidateId = Number(row.candidate_id);
  const resumeId = Number(row.id);
  const keys = new Map<string, DuplicateReason>();
  for (const [key, kind] of personKeys(personOf({ ...row, id: candidateId }, profile)))
    keys.set(poolKeyHash(key), kind);
  return {
    member: {
      candidateId,
      resumeId,
      poolUntil: dateOf(row.pool_until) as Date,
      groupKey: resumeId,
      skills: skillsColumn(profile),
    },
    keys: [...keys].map(([hash, kind]) => ({ candidateId, hash, kind })),
  };
}

/** Newest first, one per candidate: the pooled résumé that stands for each record. */
function newestPerCandidate(rows: PooledRow[]): PooledRow[] {
  const seen = new Set<number>();
  return rows
    .sort((a, b) => Number(b.id) - Number(a.id))
    .filter((r) => !seen.has(Number(r.candidate_id)) && seen.add(Number(r.candidate_id)));
}

/** Locks the state row (every regrouping takes it first) and returns the stored version. */
async function lockState(tx: Em): Promise<number> {
  const row = await tx.findOne(
    PoolState,
    { id: 1 },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, disableIdentityMap: true },
  );
  if (!row) {
    // The migration inserts the row; a database emptied by hand gets it back.
    await tx.insert(PoolState, { id: 1, version: 0, builtAt: new Date(0) });
    return 0;
  }
  return row.version;
}

/** Union-find over candidate ids joined by shared key hashes; returns the components. */
function components(keys: Array<{ candidateId: number; hash: string }>, ids: Iterable<number>): number[][] {
  const parent = new Map<number, number>();
  for (const id of ids) parent.set(id, id);
  const find = (i: number): number => {
    let r = i;
    while (parent.get(r) !== r) r = parent.get(r) as number;
    while (parent.get(i) !== r) {
      const next = parent.get(i) as number;
      parent.set(i, r);
      i = next;
    }
    return r;
  };
  const holder = new Map<string, number>();
  for (const k of keys) {
    if (!parent.has(k.candidateId)) continue;
    const first = holder.get(k.hash);
    if (first === undefined) holder.set(k.hash, k.candidateId);
    else {
      const a = find(first);
      const b = find(k.candidateId);
      if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
    }
  }
  const out = new Map<number, number[]>();
  for (const id of parent.keys()) out.set(find(id), [...(out.get(find(id)) ?? []), id]);
  return [...out.values()];
}

/** Gives each component its key (its newest résumé id), writing only the rows whose key changes. */
async function storeGroupKeys(
  tx: Em,
  comps: number[][],
  members: Map<number, { resumeId: number; groupKey: number }>,
): Promise<void> {
  const moves = new Map<number, number[]>();
  for (const comp of comps) {
    const key = Math.max(...comp.map((id) => members.get(id)?.resumeId ?? 0));
    for (const id of comp)
      if (members.get(id)?.groupKey !== key) moves.set(key, [...(moves.get(key) ?? []), id]);
  }
  for (const [key, ids] of moves)
    for (const part of chunks(ids))
      await tx.nativeUpdate(PoolMember, { candidateId: { $in: part } }, { groupKey: key });
}

/**
 * Rebuilds every stored group from the pooled résumés (in pages of 1,000, newest first) and
 * records the rule version. Runs in its own transaction under the state row's lock.
 * Returns how many records are pooled.
 */
export async function rebuildPool(em: Em, now: Date): Promise<number> {
  return em.transactional(async (tx) => {
    await lockState(tx);
    return rebuildLocked(tx, now);
  });
}

async function rebuildLocked(tx: Em, now: Date): Promise<number> {
  await tx.nativeDelete(PoolKey, {});
  await tx.nativeDelete(PoolMember, {});
  const at = sqlDate(tx, now);
  const seen = new Set<number>();
  const members = new Map<number, { resumeId: number; groupKey: number }>();
  const keys: Array<{ candidateId: number; hash: string }> = [];
  for (let before = Number.MAX_SAFE_INTEGER; ; ) {
    const page = await tx.execute<PooledRow[]>(
      `${POOLED_SELECT} and r.id < ? order by r.id desc limit 1000`,
      [at, before],
    );
    if (!page.length) break;
    before = Number(page[page.length - 1].id);
    const fresh = page.filter((r) => !seen.has(Number(r.candidate_id)) && seen.add(Number(r.candidate_id)));
    const records = fresh.map(recordOf);
    if (records.length)
      await tx.insertMany(
        PoolMember,
        records.map((r) => r.member),
      );
    const pageKeys = records.flatMap((r) => r.keys);
    for (const part of chunks(pageKeys)) await tx.insertMany(PoolKey, part);
    for (const r of records) members.set(r.member.candidateId, r.member);
    keys.push(...pageKeys);
  }
  await storeGroupKeys(
    tx,
    components(keys, members.keys()).filter((c) => c.length > 1),
    members,
  );
  await tx.nativeUpdate(PoolState, { id: 1 }, { version: POOL_GROUPING_VERSION, builtAt: now });
  return members.size;
}

/**
 * Recomputes the pool records of `candidateIds` from their résumés and contacts as they are now
 * (in, out, or changed), then regroups every group they were in or now join. Joins the caller's
 * transaction when there is one (so the regrouping commits with the change that caused it).
 */
export async function refreshPoolRecords(em: Em, candidateIds: readonly number[], now: Date): Promise<void> {
  const ids = [...new Set(candidateIds)];
  if (!ids.length) return;
  await em.transactional(async (tx) => {
    if ((await lockState(tx)) !== POOL_GROUPING_VERSION) {
      await rebuildLocked(tx, now);
      return;
    }
    await refreshLocked(tx, ids, now);
  });
}

async function refreshLocked(tx: Em, ids: number[], now: Date): Promise<void> {
  // The groups these records were in: their other members may split apart now.
  const before = await selectIn<{ group_key: number | string }>(
    tx,
    'select group_key from pool_members where candidate_id in (%IN%)',
    ids,
  );
  const oldMates = before.length
    ? await selectIn<{ candidate_id: number | string }>(
        tx,
        'select candidate_id from pool_members where group_key in (%IN%)',
        before.map((r) => Number(r.group_key)),
      )
    : [];
  const rows = newestPerCandidate(
    await selectIn<PooledRow>(tx, `${POOLED_SELECT} and r.candidate_id in (%IN%)`, ids, [sqlDate(tx, now)]),
  );
  const records = rows.map(recordOf);
  for (const part of chunks(ids)) {
    await tx.nativeDelete(PoolKey, { candidateId: { $in: part } });
    await tx.nativeDelete(PoolMember, { candidateId: { $in: part } });
  }
  if (records.length)
    await tx.insertMany(
      PoolMember,
      records.map((r) => r.member),
    );
  for (const part of chunks(records.flatMap((r) => r.keys))) await tx.insertMany(PoolKey, part);

  // Everyone reachable through shared keys from the changed records and their old mates.
  const reached = new Set<number>([
    ...records.map((r) => r.member.candidateId),
    ...oldMates.map((r) => Number(r.candidate_id)),
  ]);
  const keys: Array<{ candidateId: number; hash: string }> = [];
  const hashes = new Set<string>();
  for (let frontier = [...reached]; frontier.length; ) {
    const held = await selectIn<{ candidate_id: number | string; hash: string }>(
      tx,
      'select candidate_id, hash from pool_keys where candidate_id in (%IN%)',
      frontier,
    );
    const newHashes = [...new Set(held.map((k) => k.hash))].filter((h) => !hashes.has(h));
    for (const h of newHashes) hashes.add(h);
    const sharing = newHashes.length
      ? await selectIn<{ candidate_id: number | string; hash: string }>(
          tx,
          'select candidate_id, hash from pool_keys where hash in (%IN%)',
          newHashes,
        )
      : [];
    frontier = [];
    for (const k of sharing) {
      const id = Number(k.candidate_id);
      keys.push({ candidateId: id, hash: k.hash });
      if (!reached.has(id)) {
        reached.add(id);
        frontier.push(id);
      }
    }
  }
  const members = new Map<number, { resumeId: number; groupKey: number }>();
  for (const m of await selectIn<{
    candidate_id: number | string;
    resume_id: number | string;
    group_key: number | string;
  }>(tx, 'select candidate_id, resume_id, group_key from pool_members where candidate_id in (%IN%)', [
    ...reached,
  ]))
    members.set(Number(m.candidate_id), { resumeId: Number(m.resume_id), groupKey: Number(m.group_key) });
  await storeGroupKeys(tx, components(keys, members.keys()), members);
}

/**
 * Makes the stored groups right for a read at `now`: rebuilt when built under another rule
 * version (or never), and records whose pool consent ended since refreshed. Costs one probe of
 * the state row and one of the `pool_until` index when nothing is to do.
 */
export async function preparePool(em: Em, now: Date): Promise<void> {
  const [state] = await em.execute<Array<{ version: number | string }>>(
    'select version from pool_state where id = 1',
  );
  const stale = Number(state?.version ?? 0) !== POOL_GROUPING_VERSION;
  const ended = async (tx: Em) =>
    (
      await tx.execute<Array<{ candidate_id: number | string }>>(
        `select candidate_id from pool_members where pool_until <= ? limit ${CHUNK}`,
        [sqlDate(tx, now)],
      )
    ).map((r) => Number(r.candidate_id));
  if (!stale && !(await ended(em)).length) return;
  await em.transactional(async (tx) => {
    if ((await lockState(tx)) !== POOL_GROUPING_VERSION) {
      await rebuildLocked(tx, now);
      return;
    }
    for (let ids = await ended(tx); ids.length; ids = await ended(tx)) await refreshLocked(tx, ids, now);
  });
}

/** One talent-pool entry: its records' newest pooled résumés (newest first) and why they were merged. */
export interface PoolEntry {
  members: IResume[];
  reasons: DuplicateReason[];
}

/** The entries of some group keys, in the keys' order (four reads, whatever the count). */
export async function entriesOf(em: Em, groupKeys: number[]): Promise<PoolEntry[]> {
  if (!groupKeys.length) return [];
  const members = await em.execute<
    Array<{ candidate_id: number | string; resume_id: number | string; group_key: number | string }>
  >(
    `select candidate_id, resume_id, group_key from pool_members where group_key in (${placeholders(groupKeys.length)})`,
    groupKeys,
  );
  const candidateIds = members.map((m) => Number(m.candidate_id));
  const resumes = new Map(
    (
      await em.find(
        Resume,
        { id: { $in: members.map((m) => Number(m.resume_id)) } },
        { populate: ['candidate'] },
      )
    ).map((r) => [r.id, r] as const),
  );
  const keys = await em.execute<
    Array<{ candidate_id: number | string; hash: string; kind: DuplicateReason }>
  >(
    `select candidate_id, hash, kind from pool_keys where candidate_id in (${placeholders(candidateIds.length)})`,
    candidateIds,
  );
  const groupOf = new Map(members.map((m) => [Number(m.candidate_id), Number(m.group_key)] as const));
  return groupKeys.map((g) => {
    const mine = members
      .filter((m) => Number(m.group_key) === g)
      .map((m) => resumes.get(Number(m.resume_id)))
      .filter((r): r is IResume => !!r)
      .sort((a, b) => b.id - a.id);
    // Why: every kind of key two or more of the records hold.
    const holders = new Map<string, { kind: DuplicateReason; n: number }>();
    for (const k of keys)
      if (groupOf.get(Number(k.candidate_id)) === g)
        holders.set(k.hash, { kind: k.kind, n: (holders.get(k.hash)?.n ?? 0) + 1 });
    const reasons = [...new Set([...holders.values()].filter((h) => h.n > 1).map((h) => h.kind))].sort();
    return { members: mine, reasons };
  });
}

/**
 * The pool entry a candidate record belongs to now, or null when the record is not pooled
 * (never, withdrawn, expired, erased) or unknown.
 */
export async function poolEntryOf(em: Em, candidateId: number, now: Date): Promise<PoolEntry | null> {
  await preparePool(em, now);
  const [row] = await em.execute<Array<{ group_key: number | string }>>(
    'select group_key from pool_members where candidate_id = ?',
    [candidateId],
  );
  if (!row) return null;
  const [entry] = await entriesOf(em, [Number(row.group_key)]);
  return entry?.members.length ? entry : null;
}
