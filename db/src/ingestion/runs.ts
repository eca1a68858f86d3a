/**
 * The ingestion work queue: `ingestion_runs` rows go queued → running → succeeded | failed | cancelled.
 *
 * Producers (the admin API, the CLI, the scheduler) enqueue; the job runner claims the oldest queued run
 * with `FOR UPDATE SKIP LOCKED`, so two runners never claim the same run, and records the outcome with
 * `finishIngestionRun`. Enqueueing is idempotent per target: while an identical run (same kind, season and
 * round) is still queued, enqueueing it again returns that run instead of queueing a duplicate.
 */
import { type Kysely, sql } from 'kysely';
import type { DB, IngestionRunKind, IngestionRunStatus } from '../schema.ts';

export const INGESTION_RUN_KINDS = [
  'season',
  'race',
  'qualifying',
  'schedule',
  'validate',
  'import-csv',
  'weather',
] as const satisfies readonly IngestionRunKind[];

/**
 * Kinds the CLI records without queueing: `bootstrap` (hours long, resumable, run from a terminal;
 * not a job the admin API queues).
 */
const CLI_ONLY_KINDS: readonly IngestionRunKind[] = ['bootstrap'];

/** The kinds the job runner takes from the queue. */
export type QueueableRunKind = (typeof INGESTION_RUN_KINDS)[number];

/** Kinds whose target is a single round; the others address a whole season (or, for CSV, nothing). */
const ROUND_KINDS = new Set<IngestionRunKind>(['race', 'qualifying', 'weather']);

export class IngestionRunError extends Error {
  override readonly name = 'IngestionRunError';
  constructor(
    readonly code: 'invalid_target' | 'not_found' | 'not_running',
    message: string,
  ) {
    super(message);
  }
}

export interface IngestionRunView {
  id: number;
  kind: IngestionRunKind;
  season: number | null;
  round: number | null;
  status: IngestionRunStatus;
  requestedBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  stats: Record<string, unknown>;
  error: string | null;
}

const COLUMNS = [
  'id',
  'kind',
  'season',
  'round',
  'status',
  'requested_by',
  'created_at',
  'started_at',
  'finished_at',
  'stats',
  'error',
] as const;

interface RunRow {
  id: number;
  kind: IngestionRunKind;
  season: number | null;
  round: number | null;
  status: IngestionRunStatus;
  requested_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  stats: Record<string, unknown>;
  error: string | null;
}

function toView(row: RunRow): IngestionRunView {
  return {
    id: Number(row.id),
    kind: row.kind,
    season: row.season,
    round: row.round,
    status: row.status,
    requestedBy: row.requested_by,
    createdAt: new Date(row.created_at),
    startedAt: row.started_at ? new Date(row.started_at) : null,
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
    stats: row.stats,
    error: row.error,
  };
}

export interface IngestionTarget {
  kind: IngestionRunKind;
  /** Required for every kind except `import-csv` (and `validate --all`, every season). */
  season?: number | null;
  /** Only for `race`, `qualifying` and `weather`; omitted means "the whole season". */
  round?: number | null;
}

/** Checks that a target makes sense for its kind; throws `IngestionRunError('invalid_target')`. */
export function checkTarget(target: IngestionTarget): void {
  const { kind, season, round } = target;
  if (
    !(INGESTION_RUN_KINDS as readonly string[]).includes(kind) &&
    !CLI_ONLY_KINDS.includes(kind)
  ) {
    throw new IngestionRunError('invalid_target', `unknown ingestion kind "${kind}"`);
  }
  if (!['import-csv', 'validate', 'bootstrap'].includes(kind) && season == null) {
    throw new IngestionRunError('invalid_target', `season is required for a "${kind}" run`);
  }
  if (season != null && (!Number.isInteger(season) || season < 1950 || season > 2100)) {
    throw new IngestionRunError('invalid_target', `season must be a year 1950–2100, got ${season}`);
  }
  if (round != null) {
    if (!ROUND_KINDS.has(kind)) {
      throw new IngestionRunError('invalid_target', `a "${kind}" run takes no round`);
    }
    if (!Number.isInteger(round) || round < 1 || round > 99) {
      throw new IngestionRunError('invalid_target', `round must be 1–99, got ${round}`);
    }
  }
}

export interface EnqueueResult {
  run: IngestionRunView & { kind: QueueableRunKind };
  /** False when an identical run was already queued and is returned instead. */
  created: boolean;
}

/**
 * Queues a run for the job runner (`bun run jobs`). An identical run still waiting in the queue is
 * returned rather than duplicated.
 *
 * @example await enqueueIngestionRun(db, { kind: 'race', season: 2024, round: 5, requestedBy: 'user:1' })
 */
export async function enqueueIngestionRun(
  db: Kysely<DB>,
  params: IngestionTarget & { kind: QueueableRunKind; requestedBy: string },
): Promise<EnqueueResult> {
  checkTarget(params);
  const season = params.season ?? null;
  const round = params.round ?? null;
  return db.transaction().execute(async (trx) => {
    // Serialises concurrent enqueues of the same target so the duplicate check below cannot race.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`ingest:${params.kind}:${season}:${round}`}))`.execute(
      trx,
    );
    const existing = await trx
      .selectFrom('ingestion_runs')
      .select(COLUMNS)
      .where('status', '=', 'queued')
      .where('kind', '=', params.kind)
      .where((eb) => (season == null ? eb('season', 'is', null) : eb('season', '=', season)))
      .where((eb) => (round == null ? eb('round', 'is', null) : eb('round', '=', round)))
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    // The row's kind is the one asked for (the query above, the insert below): a queueable kind.
    if (existing) return { run: { ...toView(existing), kind: params.kind }, created: false };
    const row = await trx
      .insertInto('ingestion_runs')
      .values({ kind: params.kind, season, round, requested_by: params.requestedBy })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return { run: { ...toView(row), kind: params.kind }, created: true };
  });
}

/** Records a run that starts now (the CLI runs work directly rather than through the queue). */
export async function startIngestionRun(
  db: Kysely<DB>,
  params: IngestionTarget & { requestedBy: string },
): Promise<IngestionRunView> {
  checkTarget(params);
  const row = await db
    .insertInto('ingestion_runs')
    .values({
      kind: params.kind,
      season: params.season ?? null,
      round: params.round ?? null,
      requested_by: params.requestedBy,
      status: 'running',
      started_at: sql<Date>`now()`,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toView(row);
}

/**
 * Claims the oldest queued run (marking it running), or returns null when the queue is empty.
 * Concurrent claimers skip each other's locked rows, so each run is claimed exactly once.
 */
export async function claimNextIngestionRun(db: Kysely<DB>): Promise<IngestionRunView | null> {
  const row = await db
    .updateTable('ingestion_runs')
    .set({ status: 'running', started_at: sql<Date>`now()` })
    .where(
      'id',
      '=',
      db
        .selectFrom('ingestion_runs')
        .select('id')
        .where('status', '=', 'queued')
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .where('status', '=', 'queued')
    .returning(COLUMNS)
    .executeTakeFirst();
  return row ? toView(row) : null;
}

export interface FinishParams {
  id: number;
  status: Extract<IngestionRunStatus, 'succeeded' | 'failed' | 'cancelled'>;
  stats?: Record<string, unknown>;
  error?: string | null;
}

/** Records the outcome of a running run. Throws `not_found` / `not_running` otherwise. */
export async function finishIngestionRun(
  db: Kysely<DB>,
  params: FinishParams,
): Promise<IngestionRunView> {
  const row = await db
    .updateTable('ingestion_runs')
    .set({
      status: params.status,
      finished_at: sql<Date>`now()`,
      stats: params.stats ?? {},
      error: params.error ?? null,
    })
    .where('id', '=', params.id)
    .where('status', '=', 'running')
    .returning(COLUMNS)
    .executeTakeFirst();
  if (row) return toView(row);
  const current = await getIngestionRun(db, params.id);
  if (!current) throw new IngestionRunError('not_found', `ingestion run ${params.id} not found`);
  throw new IngestionRunError(
    'not_running',
    `ingestion run ${params.id} is ${current.status}, not running`,
  );
}

/** Cancels a run that has not started yet; returns null when no queued run has this id. */
export async function cancelQueuedIngestionRun(
  db: Kysely<DB>,
  id: number,
): Promise<IngestionRunView | null> {
  const row = await db
    .updateTable('ingestion_runs')
    .set({ status: 'cancelled', started_at: sql<Date>`now()`, finished_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returning(COLUMNS)
    .executeTakeFirst();
  return row ? toView(row) : null;
}

/**
 * Puts runs back in the queue whose runner died mid-run (running for longer than `staleAfterMs`).
 * Safe because every round is written in its own transaction and ingestion is idempotent.
 */
export async function requeueStaleIngestionRuns(
  db: Kysely<DB>,
  params: { staleAfterMs: number },
): Promise<number> {
  const result = await db
    .updateTable('ingestion_runs')
    .set({ status: 'queued', started_at: null })
    .where('status', '=', 'running')
    .where(
      'started_at',
      '<',
      sql<Date>`now() - make_interval(secs => ${params.staleAfterMs / 1000})`,
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function getIngestionRun(
  db: Kysely<DB>,
  id: number,
): Promise<IngestionRunView | null> {
  const row = await db
    .selectFrom('ingestion_runs')
    .select(COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toView(row) : null;
}

/** Most recent runs first, optionally filtered by status. */
export async function listIngestionRuns(
  db: Kysely<DB>,
  params: { status?: IngestionRunStatus; limit?: number } = {},
): Promise<IngestionRunView[]> {
  let query = db
    .selectFrom('ingestion_runs')
    .select(COLUMNS)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(params.limit ?? 50, 1), 500));
  if (params.status) query = query.where('status', '=', params.status);
  return (await query.execute()).map(toView);
}
