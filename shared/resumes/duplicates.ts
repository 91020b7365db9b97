/**
 * "The same person" in the talent pool (issue 15 item 4): two pooled candidates are one person
 * when they share a mobile or an e-mail (from the candidate record or the résumé), or the same
 * name and the same school. The candidates table already refuses a second row with the same
 * mobile or e-mail key, but a person who signed in with DingTalk (no mobile) and was also added
 * by HR, or whose résumé shows another contact, still appears twice; this finds those groups.
 * Pure: the pool route shows each group as one entry and keeps every member's résumés and
 * decisions (nothing is deleted).
 */
import { normaliseMobile } from '../api/candidates';

/** Why two candidates were taken for one person. */
export type DuplicateReason = 'mobile' | 'email' | 'name_school';

/** What identifies one pooled candidate. */
export interface PersonKeys {
  id: number;
  name: string;
  mobiles: string[];
  emails: string[];
  schools: string[];
}

/** A group of candidates that are one person (ids in input order) and why. */
export interface DuplicateGroup {
  ids: number[];
  reasons: DuplicateReason[];
}

const squash = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s·.,，。()（）-]/g, '');

/**
 * The identity keys of one candidate and the reason each stands for: two candidates holding one
 * key are one person. Stored (hashed) by the pool so the grouping can run in the database.
 */
export function personKeys(p: PersonKeys): Array<[string, DuplicateReason]> {
  const out: Array<[string, DuplicateReason]> = [];
  for (const m of p.mobiles) {
    const e164 = normaliseMobile(m);
    if (e164) out.push([`m:${e164}`, 'mobile']);
  }
  for (const e of p.emails) if (e.includes('@')) out.push([`e:${e.trim().toLowerCase()}`, 'email']);
  const name = squash(p.name);
  // A name alone is never enough (many people share one); with the school it is.
  if (name)
    for (const s of p.schools) {
      const school = squash(s);
      if (school) out.push([`n:${name}|${school}`, 'name_school']);
    }
  return out;
}

/**
 * Groups candidates that share a key (transitively: A~B by mobile and B~C by e-mail make one
 * group). Every candidate is in exactly one group; groups keep the input order of their first
 * member.
 */
export function duplicateGroups(people: readonly PersonKeys[]): DuplicateGroup[] {
  const parent = people.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  // Every key with the candidates holding it; a key held by two or more joins them.
  const holders = new Map<string, { why: DuplicateReason; at: number[] }>();
  people.forEach((p, i) => {
    for (const [key, why] of personKeys(p)) {
      const h = holders.get(key) ?? { why, at: [] };
      if (h.at.at(-1) !== i) h.at.push(i);
      holders.set(key, h);
    }
  });
  for (const { at } of holders.values())
    for (const i of at.slice(1)) {
      const a = find(at[0]);
      const b = find(i);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  const reasons = new Map<number, Set<DuplicateReason>>();
  for (const { why, at } of holders.values()) {
    if (at.length < 2) continue;
    const root = find(at[0]);
    reasons.set(root, (reasons.get(root) ?? new Set()).add(why));
  }
  const groups = new Map<number, number[]>();
  people.forEach((p, i) => {
    const r = find(i);
    groups.set(r, [...(groups.get(r) ?? []), p.id]);
  });
  return [...groups.entries()].map(([root, ids]) => ({
    ids,
    reasons: [...(reasons.get(root) ?? [])].sort(),
  }));
}
