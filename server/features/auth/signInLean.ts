/**
 * The usual invitation sign-in (a valid, open link) in plain SQL: one joined read of the
 * invitation, its candidate and job, then one transaction with the candidate's sign-in time,
 * the link's first use and the audit row. The ORM path read the three rows as entities with a
 * populate and diffed them at flush; profiled, that was most of the route's web CPU (the token
 * checks, HMAC-SHA256 signatures, are a few per cent and stay as they are). Anything unusual
 * (unknown, revoked or expired link, closed job) returns null and the ORM path answers with its
 * usual error, so the errors live in one place. signInLean.test.ts checks both paths write the
 * same rows and answer the same.
 */

import type { Actor } from '../../kernel/actor';
import type { AuditContext } from '../../kernel/audit';
import type { Em } from '../../kernel/db/orm';
import { sqlDate } from '../../kernel/db/raw';
import { inTransaction, query } from '../../kernel/db/tx';

interface Row {
  revoked_at: unknown;
  expires_at: unknown;
  first_used_at: unknown;
  job_id: number;
  job_status: string;
  candidate_id: number;
  name: string;
  locale: string;
  session_generation: number;
}

/**
 * Signs the candidate of invitation `id` (its token already verified) in: records the sign-in
 * and returns the session's actor, or null when the link or its job is not in the usual state.
 */
export async function invitationSignInLean(
  deps: { em: Em; now: Date; context: AuditContext },
  id: number,
): Promise<Actor | null> {
  const { em, now } = deps;
  const [r] = await query<Row>(
    em,
    `select i.revoked_at, i.expires_at, i.first_used_at, i.job_id, j.status as job_status,
            c.id as candidate_id, c.name, c.locale, c.session_generation
       from invitations i
       join candidates c on c.id = i.candidate_id
       join jobs j on j.id = i.job_id
      where i.id = ?`,
    [id],
  );
  if (!r || r.revoked_at !== null) return null;
  if ((sqlDate(r.expires_at) as Date).getTime() <= now.getTime() || r.job_status !== 'open') return null;
  const candidateId = Number(r.candidate_id);
  const actor: Actor = {
    kind: 'candidate',
    id: candidateId,
    candidate: {
      id: candidateId,
      name: r.name,
      locale: r.locale,
      sessionGeneration: Number(r.session_generation),
    },
    invitationJobId: Number(r.job_id),
  };
  await inTransaction(em, async (tx) => {
    // `updated_at` as the ORM's onUpdate sets it (the wall clock); the first use only once.
    const writes: Array<[string, readonly unknown[]]> = [
      [
        'update candidates set last_sign_in_at = ?, updated_at = ? where id = ?',
        [tx.date(now), tx.date(new Date()), candidateId],
      ],
    ];
    if (r.first_used_at === null)
      writes.push([
        'update invitations set first_used_at = ? where id = ? and first_used_at is null',
        [tx.date(now), id],
      ]);
    tx.audit(
      actor,
      'auth.sign_in',
      { type: 'candidate', id: candidateId },
      { method: 'invitation', invitationId: id },
      deps.context,
    );
    await tx.runAll(writes);
  });
  return actor;
}
