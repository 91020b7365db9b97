/**
 * The talent-pool listing (issue 18): filtered and paged in SQL over the stored person groups
 * (poolGroups.ts), then only the page's entries are read and presented.
 *
 * An entry is a group; it is listed by its newest résumé (the group key), newest first, and the
 * key is the cursor. Each filter holds when ANY record of the entry meets it, as before: text and
 * skill on one record's résumé, a tag on any record, and the history filters (past job, stage
 * reached, outcome) over all the records' decisions and applications.
 *
 * Text search compares the lower-cased résumé text with the lower-cased query byte for byte
 * (MySQL's collations would otherwise also fold accents). SQLite's `lower()` folds only ASCII
 * letters, so on the embedded database a query in lower case does not find upper-case non-ASCII
 * letters (Ä, Ж); Chinese and ASCII text behave the same on both.
 */
import {
  POOL_OUTCOMES,
  POOL_STAGES,
  type PoolOutcome,
  type PoolQuery,
  type PoolResponse,
  type PoolStage,
  poolTagKey,
  type ScreeningDecision,
} from '../../../shared/api/resumes';
import type { Stage } from '../../../shared/stages';
import { Application } from '../../kernel/db/entities/Application';
import { ApplicationStageEvent } from '../../kernel/db/entities/ApplicationStageEvent';
import { ScreeningDecisionRow } from '../../kernel/db/entities/Resume';
import type { Em } from '../../kernel/db/orm';
import { placeholders } from '../../kernel/db/raw';
import { dialectOf } from '../../kernel/db/tx';
import { entriesOf, preparePool } from './poolGroups';
import { tagsByCandidate, unionTags } from './tags';

const app = (cond: string) =>
  `exists (select 1 from applications a where a.candidate_id = x.candidate_id and ${cond})`;
const decided = (decision: ScreeningDecision) =>
  `exists (select 1 from screening_decisions d where d.candidate_id = x.candidate_id and d.decision = '${decision}')`;

/** Each outcome as a condition on one record `x` (see `poolFacts` for the same rule in code). */
const OUTCOME_SQL: Record<PoolOutcome, string> = {
  invited: decided('invite'),
  pool: decided('pool'),
  rejected: `(${decided('reject')} or ${app("a.stage = 'rejected'")})`,
  hired: app("a.stage = 'hired'"),
  withdrawn: app("a.stage = 'withdrawn'"),
  in_progress: app("a.stage not in ('hired', 'rejected', 'withdrawn')"),
};

/** The group keys of one page of entries matching `q` (one statement), and whether more follow. */
async function pageKeys(em: Em, q: PoolQuery): Promise<{ keys: number[]; more: boolean }> {
  const where = ['m.resume_id = m.group_key'];
  const params: unknown[] = [];
  // Byte-wise containment: both sides are lower-cased already (see the module comment).
  const contains = (hay: string) =>
    dialectOf(em) === 'mysql'
      ? `instr(cast(${hay} as binary), cast(? as binary)) > 0`
      : `instr(${hay}, ?) > 0`;
  const anyRecord = (join: string, cond: string, ...p: unknown[]) => {
    where.push(`exists (select 1 from pool_members x ${join} where x.group_key = m.group_key and ${cond})`);
    params.push(...p);
  };
  if (q.cursor !== undefined) {
    where.push('m.group_key < ?');
    params.push(q.cursor);
  }
  // Text and skill on one record's résumé.
  const text: string[] = [];
  const textParams: unknown[] = [];
  if (q.q) {
    text.push(contains('lower(r.text)'));
    textParams.push(q.q.toLowerCase());
  }
  if (q.skill) {
    text.push(contains('x.skills'));
    textParams.push(`\n${q.skill.toLowerCase().replaceAll('\n', ' ')}\n`);
  }
  if (text.length) anyRecord('join resumes r on r.id = x.resume_id', text.join(' and '), ...textParams);
  const tagKeys = [...new Set(q.tag.map(poolTagKey))];
  if (tagKeys.length)
    anyRecord(
      'join candidate_tags t on t.candidate_id = x.candidate_id',
      `t.\`key\` in (${placeholders(tagKeys.length)})`,
      ...tagKeys,
    );
  if (q.jobId !== undefined)
    anyRecord(
      '',
      `(exists (select 1 from screening_decisions d where d.candidate_id = x.candidate_id and d.job_id = ?) or ${app('a.job_id = ?')})`,
      q.jobId,
      q.jobId,
    );
  if (q.stage !== undefined) {
    const reached = POOL_STAGES.slice(POOL_STAGES.indexOf(q.stage));
    // Any application proves `invited`; further stages by its current stage or a stage it entered.
    if (reached.includes('invited')) anyRecord('', app('1 = 1'));
    else {
      const list = placeholders(reached.length);
      anyRecord(
        '',
        app(
          `(a.stage in (${list}) or exists (select 1 from application_stage_events e where e.application_id = a.id and e.to_stage in (${list})))`,
        ),
        ...reached,
        ...reached,
      );
    }
  }
  if (q.outcome !== undefined) anyRecord('', OUTCOME_SQL[q.outcome]);
  const rows = await em.execute<Array<{ g: number | string }>>(
    `select m.group_key as g from pool_members m where ${where.join(' and ')} order by m.group_key desc limit ?`,
    [...params, q.limit + 1],
  );
  return { keys: rows.slice(0, q.limit).map((r) => Number(r.g)), more: rows.length > q.limit };
}

/**
 * One page of the talent pool for `q` at `now`: the matching entries' keys in one SQL
 * statement, then only those entries' résumés, history and tags.
 */
export async function poolPage(em: Em, q: PoolQuery, now: Date): Promise<PoolResponse> {
  await preparePool(em, now);
  const { keys, more } = await pageKeys(em, q);
  const shown = await entriesOf(em, keys);
  const ids = shown.flatMap((g) => g.members.map((m) => m.candidate.id));
  const history = await poolHistory(em, ids);
  const tags = await tagsByCandidate(em, ids);
  return {
    rows: shown.map(({ members, reasons }) => {
      // Newest first, so the first record holds the entry's newest résumé.
      const [r, ...others] = members;
      const mine = new Set(members.map((m) => m.candidate.id));
      const facts = poolFacts(history, mine);
      const last = r.profile?.experience[0];
      return {
        resumeId: r.id,
        candidateId: r.candidate.id,
        candidateName: r.candidate.name,
        skills: (r.profile?.skills ?? []).slice(0, 12).map((s) => s.value),
        lastRole: last ? [last.title?.value, last.employer?.value].filter(Boolean).join(' · ') || null : null,
        poolUntil: (r.poolUntil as Date).toISOString(),
        history: history.decisions
          .filter((d) => mine.has(d.candidate.id))
          .map((d) => ({ jobId: d.job.id, jobTitle: d.job.title, decision: d.decision })),
        stageReached: facts.stageReached,
        outcomes: facts.outcomes,
        duplicates: others.map((o) => ({
          candidateId: o.candidate.id,
          candidateName: o.candidate.name,
          resumeId: o.id,
        })),
        mergedBy: reasons,
        tags: unionTags(tags, mine),
      };
    }),
    nextCursor: more && keys.length ? (keys.at(-1) as number) : null,
  };
}

/** Screening decisions, applications and their stage moves of some candidates. */
interface PoolHistory {
  decisions: Array<{
    candidate: { id: number };
    job: { id: number; title: string };
    decision: ScreeningDecision;
  }>;
  applications: Array<{ id: number; candidateId: number; jobId: number; stage: Stage }>;
  /** Stages each application has entered (from its stage events). */
  entered: Map<number, string[]>;
}

/** Reads the decisions and applications of `candidateIds` (three queries, whatever the count). */
async function poolHistory(em: Em, candidateIds: number[]): Promise<PoolHistory> {
  if (!candidateIds.length) return { decisions: [], applications: [], entered: new Map() };
  const decisions = await em.find(
    ScreeningDecisionRow,
    { candidate: { $in: candidateIds } },
    { populate: ['job'], orderBy: { id: 'asc' } },
  );
  const apps = await em.find(Application, { candidate: { $in: candidateIds } }, { orderBy: { id: 'asc' } });
  const applications = apps.map((a) => ({
    id: a.id,
    candidateId: a.candidate.id,
    jobId: a.job.id,
    stage: a.stage,
  }));
  const entered = new Map<number, string[]>();
  if (applications.length) {
    const events = await em.find(
      ApplicationStageEvent,
      { applicationId: { $in: applications.map((a) => a.id) } },
      { fields: ['applicationId', 'toStage'] },
    );
    for (const e of events)
      entered.set(e.applicationId, [...(entered.get(e.applicationId) ?? []), e.toStage]);
  }
  return { decisions, applications, entered };
}

const DECISION_OUTCOME: Record<ScreeningDecision, PoolOutcome> = {
  invite: 'invited',
  reject: 'rejected',
  pool: 'pool',
};

/**
 * What one pooled person's records show: the furthest pipeline stage any application entered
 * (from its current stage and its stage moves; an application that ended in an exit still
 * proves the stages it passed, and at least `invited`), and every outcome. The listing's
 * filters (`OUTCOME_SQL`, the stage condition) apply the same rule in SQL.
 */
function poolFacts(h: PoolHistory, mine: Set<number>) {
  const outcomes = new Set<PoolOutcome>();
  let furthest = -1;
  for (const d of h.decisions) if (mine.has(d.candidate.id)) outcomes.add(DECISION_OUTCOME[d.decision]);
  for (const a of h.applications) {
    if (!mine.has(a.candidateId)) continue;
    outcomes.add(
      a.stage === 'hired' || a.stage === 'rejected' || a.stage === 'withdrawn' ? a.stage : 'in_progress',
    );
    for (const s of [a.stage, 'invited', ...(h.entered.get(a.id) ?? [])]) {
      furthest = Math.max(furthest, POOL_STAGES.indexOf(s as PoolStage));
    }
  }
  return {
    stageReached: furthest >= 0 ? (POOL_STAGES[furthest] as PoolStage) : null,
    outcomes: POOL_OUTCOMES.filter((o) => outcomes.has(o)),
  };
}
