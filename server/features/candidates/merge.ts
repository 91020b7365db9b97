/**
 * "The same person" for candidates: one mobile (E.164) or one e-mail (lower-cased) is one
 * candidate. Adding or importing someone who already exists fills in what the existing row
 * lacks and never creates a second row; the unique keys on `candidates` make that hold even
 * when two imports run at the same moment (the loser's transaction fails and is retried, and
 * the retry finds the winner's rows).
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { CandidateSource } from '../../../shared/api/candidates';
import { Candidate, type ICandidate } from '../../kernel/db/entities/Candidate';
import type { Em } from '../../kernel/db/orm';
import { isRetryableDbError } from '../../kernel/db/retry';
import { conflict } from '../../kernel/errors';
import { emit } from '../../kernel/events';
import { storedMobile } from './importFile';

/** One person to add: contacts already normalised (mobile E.164, e-mail lower-cased). */
export interface PersonInput {
  name: string;
  mobile: string | null;
  email: string | null;
  source: CandidateSource;
  referrer: string | null;
}

const mKey = (m: string) => `m:${m}`;
const eKey = (e: string) => `e:${e}`;

/** Existing candidates holding any of the inputs' keys, by key (`m:+86…`, `e:…`). */
export async function existingByKey(em: Em, inputs: PersonInput[]): Promise<Map<string, ICandidate>> {
  const mobiles = [...new Set(inputs.flatMap((i) => (i.mobile ? [i.mobile] : [])))];
  const emails = [...new Set(inputs.flatMap((i) => (i.email ? [i.email] : [])))];
  const out = new Map<string, ICandidate>();
  const chunk = <T>(xs: T[]) =>
    Array.from({ length: Math.ceil(xs.length / 500) }, (_, i) => xs.slice(i * 500, i * 500 + 500));
  for (const part of chunk(mobiles))
    for (const c of await em.find(Candidate, { mobileKey: { $in: part } }))
      out.set(mKey(c.mobileKey as string), c);
  for (const part of chunk(emails))
    for (const c of await em.find(Candidate, { emailKey: { $in: part } }))
      out.set(eKey(c.emailKey as string), c);
  return out;
}

/**
 * Which candidate `input` is, among `known` (existing rows and those created earlier in the same
 * batch): null when nobody, or `conflict` when its mobile and its e-mail name two different people.
 */
export function matchPerson(
  known: Map<string, ICandidate>,
  input: Pick<PersonInput, 'mobile' | 'email'>,
): ICandidate | null | 'conflict' {
  const byMobile = input.mobile ? known.get(mKey(input.mobile)) : undefined;
  const byEmail = input.email ? known.get(eKey(input.email)) : undefined;
  if (byMobile && byEmail && byMobile !== byEmail && byMobile.id !== byEmail.id) return 'conflict';
  return byMobile ?? byEmail ?? null;
}

/**
 * Creates the candidate or merges `input` into the one that has its mobile or e-mail (filling
 * only what it lacks: a person's recorded source and referrer stay the first ones, which is what
 * source statistics count). Updates `known`. The caller flushes in its transaction.
 */
export function upsertPerson(
  em: Em,
  known: Map<string, ICandidate>,
  input: PersonInput,
  createdById: number | null,
): { candidate: ICandidate; merged: boolean } {
  const match = matchPerson(known, input);
  if (match === 'conflict')
    throw conflict(
      'candidate_contact_conflict',
      `Mobile ${input.mobile} and e-mail ${input.email} belong to two different candidates`,
      { mobile: input.mobile, email: input.email },
    );
  if (match) {
    // An existing row given a contact it lacked: who it is the same person as may change.
    if (match.id && ((input.mobile && !match.mobileKey) || (input.email && !match.emailKey)))
      contactsFilled.get(em)?.add(match.id);
    if (input.mobile && !match.mobileKey) {
      match.mobileKey = input.mobile;
      match.mobile ??= storedMobile(input.mobile);
      known.set(mKey(input.mobile), match);
    }
    if (input.email && !match.emailKey) {
      match.emailKey = input.email;
      match.email ??= input.email;
      known.set(eKey(input.email), match);
    }
    if (!match.referrer && input.referrer) match.referrer = input.referrer;
    return { candidate: match, merged: true };
  }
  const candidate = em.create(Candidate, {
    unionId: null,
    name: input.name,
    mobile: storedMobile(input.mobile),
    email: input.email,
    mobileKey: input.mobile,
    emailKey: input.email,
    source: input.source,
    referrer: input.referrer,
    createdById,
  });
  if (input.mobile) known.set(mKey(input.mobile), candidate);
  if (input.email) known.set(eKey(input.email), candidate);
  return { candidate, merged: false };
}

/**
 * Existing candidates whose contacts {@link upsertPerson} filled in, per transaction of
 * {@link withMergeRetry} (every caller of upsertPerson runs in one): announced before it commits.
 */
const contactsFilled = new WeakMap<Em, Set<number>>();

/**
 * Runs `fn` in a transaction, again (up to `attempts` times) when it lost a unique-key (or deadlock) race: a
 * concurrent import inserted the same person first, and a fresh attempt merges into that row.
 * Candidates whose contacts it filled in are announced (`candidate.contacts_changed`) in it.
 */
export async function withMergeRetry<T>(em: Em, fn: (tx: Em) => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await em.transactional(async (tx) => {
        const filled = new Set<number>();
        contactsFilled.set(tx, filled);
        const out = await fn(tx);
        if (filled.size) {
          await tx.flush();
          const candidateIds = [...filled].sort((a, b) => a - b);
          await emit(tx, {
            type: 'candidate.contacts_changed',
            key: `candidates:${candidateIds.join(',')}:contacts:${Date.now()}`,
            aggregate: `candidate:${candidateIds[0]}`,
            actor: null,
            data: { candidateIds },
          });
        }
        return out;
      });
    } catch (err) {
      const lost = err instanceof UniqueConstraintViolationException || isRetryableDbError(err);
      if (!lost || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * i));
    }
  }
}
