import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { ImportRowError, ImportRowView } from '../../../../shared/api/candidates';
import { User } from './User';

/**
 * One uploaded candidate file: what the preview found (valid rows, per-row errors) and, once
 * HR confirmed, which candidates it created or merged. Confirming imports exactly the rows HR
 * saw (the rows are stored here, not re-read from a file that may have changed).
 */
export const CandidateImport = defineEntity({
  name: 'CandidateImport',
  tableName: 'candidate_imports',
  properties: {
    id: p.integer().primary(),
    createdBy: () => p.manyToOne(User),
    fileName: p.string().length(200),
    fileSha256: p.string().length(64),
    status: p.enum(['previewed', 'confirmed'] as const).default('previewed'),
    totalRows: p.integer(),
    rows: p.json<ImportRowView[]>(),
    errors: p.json<ImportRowError[]>(),
    candidateIds: p.json<number[]>().nullable(),
    createdCount: p.integer().nullable(),
    mergedCount: p.integer().nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    confirmedAt: p.datetime(3).nullable(),
  },
});
/** Import row. */
export type ICandidateImport = InferEntity<typeof CandidateImport>;
