/**
 * Writes of candidate management: add one candidate, preview an import file, confirm an import.
 * Each runs in one transaction with its audit entry; the import's confirmation is all-or-nothing.
 */
import { createHash } from 'node:crypto';
import type {
  CandidateSource,
  ImportPreviewBody,
  ImportRowView,
  ImportView,
} from '../../../shared/api/candidates';
import { normaliseEmail, normaliseMobile } from '../../../shared/api/candidates';
import { type AuditContext, audit } from '../../kernel/audit';
import type { ICandidate } from '../../kernel/db/entities/Candidate';
import { CandidateImport, type ICandidateImport } from '../../kernel/db/entities/CandidateImport';
import type { Em } from '../../kernel/db/orm';
import { badRequest, conflict, notFound } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { assertCan } from '../../kernel/policies';
import { parseImportFile } from './importFile';
import { existingByKey, matchPerson, type PersonInput, upsertPerson, withMergeRetry } from './merge';

/** Props of {@link addCandidate}. */
export interface AddCandidateProps {
  em: Em;
  actor: Actor;
  body: { name: string; mobile?: string; email?: string; source: CandidateSource; referrer?: string };
  context: AuditContext;
}

/**
 * Adds one candidate, or merges into the existing one with the same mobile or e-mail (then
 * `merged` is true and nothing is doubled).
 */
export async function addCandidate(props: AddCandidateProps) {
  const { actor, body } = props;
  assertCan(actor, 'candidate.create', undefined);
  const input: PersonInput = {
    name: body.name,
    mobile: body.mobile ? normaliseMobile(body.mobile) : null,
    email: body.email ? normaliseEmail(body.email) : null,
    source: body.source,
    referrer: body.referrer || null,
  };
  return withMergeRetry(props.em, async (em) => {
    const known = await existingByKey(em, [input]);
    const { candidate, merged } = upsertPerson(em, known, input, actor.id);
    await em.flush();
    audit(
      em,
      actor,
      merged ? 'candidate.merged' : 'candidate.created',
      { type: 'candidate', id: candidate.id },
      { source: input.source, via: 'form' },
      props.context,
    );
    return { candidate, merged };
  });
}

/** The import as the API shows it. */
export function presentImport(row: ICandidateImport): ImportView {
  return {
    id: row.id,
    fileName: row.fileName,
    status: row.status,
    totalRows: row.totalRows,
    rows: row.rows,
    errors: row.errors,
    created: row.createdCount ?? null,
    merged: row.mergedCount ?? null,
    candidateIds: row.candidateIds ?? [],
  };
}

/**
 * Reads the file, checks every row, marks rows that repeat an earlier row of the file or match
 * an existing candidate, and stores the preview. Nothing about candidates is written yet.
 */
export async function previewImport(props: {
  em: Em;
  actor: Actor;
  body: ImportPreviewBody;
  context: AuditContext;
}): Promise<ImportView> {
  const { actor, body } = props;
  assertCan(actor, 'candidate.import', undefined);
  const parsed = await parseImportFile(body.fileName, body.contentBase64);
  const em = props.em.fork();
  const existing = await existingByKey(em, parsed.rows);
  const errors = [...parsed.errors];
  // Rows of this file by key, to fold repeats into the first row that named the person.
  const firstRow = new Map<string, number>();
  const rows: ImportRowView[] = [];
  for (const r of parsed.rows) {
    const match = matchPerson(existing, r);
    if (match === 'conflict') {
      errors.push({
        row: r.row,
        field: 'contact',
        message: {
          zh: '手机号和邮箱分别属于两位不同的已有候选人',
          en: 'the mobile and the e-mail belong to two different existing candidates',
        },
      });
      continue;
    }
    const keys = [r.mobile && `m:${r.mobile}`, r.email && `e:${r.email}`].filter(Boolean) as string[];
    const sameAs = keys.map((k) => firstRow.get(k)).find((x) => x !== undefined) ?? null;
    for (const k of keys) if (!firstRow.has(k)) firstRow.set(k, r.row);
    rows.push({ ...r, sameAsRow: sameAs, existingCandidateId: match?.id ?? null });
  }
  errors.sort((a, b) => a.row - b.row);
  const row = em.create(CandidateImport, {
    createdBy: actor.id,
    fileName: body.fileName,
    fileSha256: createHash('sha256').update(body.contentBase64).digest('hex'),
    totalRows: parsed.totalRows,
    rows,
    errors,
    candidateIds: null,
    createdCount: null,
    mergedCount: null,
    confirmedAt: null,
  });
  audit(
    em,
    actor,
    'candidates.import_previewed',
    { type: 'candidate_import', id: null },
    { fileName: body.fileName, rows: parsed.totalRows, valid: rows.length, errors: errors.length },
    props.context,
  );
  await em.flush();
  return presentImport(row);
}

/**
 * Imports the valid rows of a previewed file in one transaction: every row is created or merged,
 * or (on any failure) none is. Confirming twice, or two people confirming at once, imports once.
 */
export async function confirmImport(props: {
  em: Em;
  actor: Actor;
  importId: number;
  now: Date;
  context: AuditContext;
}): Promise<ImportView> {
  const { actor } = props;
  assertCan(actor, 'candidate.import', undefined);
  return withMergeRetry(props.em, async (em) => {
    const batch = await em.findOne(CandidateImport, { id: props.importId });
    if (!batch) throw notFound('Import');
    if (batch.status === 'confirmed')
      throw conflict('import_already_confirmed', 'This import was already confirmed');
    if (batch.rows.length === 0) throw badRequest('import_empty', 'The import has no valid rows');
    // Claim the batch first: a concurrent confirmation blocks here and then finds it confirmed.
    const claimed = await em.nativeUpdate(
      CandidateImport,
      { id: batch.id, status: 'previewed' },
      { status: 'confirmed', confirmedAt: props.now },
    );
    if (claimed === 0) throw conflict('import_already_confirmed', 'This import was already confirmed');
    const known = await existingByKey(em, batch.rows);
    const people: Array<{ candidate: ICandidate; merged: boolean }> = [];
    for (const r of batch.rows) {
      // Someone else's change since the preview can make a row ambiguous: the whole batch is
      // refused naming the row, HR uploads again and sees it in the preview.
      if (matchPerson(known, r) === 'conflict')
        throw conflict('candidate_contact_conflict', `Row ${r.row}: mobile and e-mail name two candidates`, {
          row: r.row,
        });
      people.push(upsertPerson(em, known, r, actor.id));
    }
    await em.flush();
    const ids = [...new Set(people.map((p) => p.candidate.id))];
    // A person counts once: created if this batch made their row, else merged.
    const created = new Set(people.filter((p) => !p.merged).map((p) => p.candidate.id)).size;
    const merged = ids.length - created;
    Object.assign(batch, {
      status: 'confirmed',
      confirmedAt: props.now,
      candidateIds: ids,
      createdCount: created,
      mergedCount: merged,
    });
    audit(
      em,
      actor,
      'candidates.imported',
      { type: 'candidate_import', id: batch.id },
      { fileName: batch.fileName, created, merged },
      props.context,
    );
    await em.flush();
    return presentImport(batch);
  });
}
