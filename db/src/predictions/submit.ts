/**
 * Submitting prediction sets: one or thousands in one transaction, with a fixed number of statements
 * whatever the count (races, entry lists, locks, idempotency, live sets, supersede, insert sets, insert
 * rows), so a backfill of 100k rows runs at bulk speed and a single submission pays the same small price.
 *
 * Per set: validated against the race's entry list; a repeat of the live set (same snapshot) or of an
 * earlier idempotency key is a no-op returning the original; a new snapshot supersedes the live set,
 * which is kept as history. Live sets are frozen at the race's scheduled start; backtests are not.
 *
 * The races that got new sets are scored in the same transaction (see accuracy-compute.ts): a stored
 * set is never left without its accuracy rows, whatever happens to the process after the commit.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import {
  type ClassifiedResult,
  lockAccuracy,
  readResults,
  readScoring,
} from '../accuracy/compute.ts';
import { type AccuracyRowKey, buildAccuracyRows } from '../accuracy/rows.ts';
import { encodeAccuracyRows, storeAccuracyRows } from '../accuracy/store.ts';
import { raceEntryLists } from '../races/race-entries.ts';
import type { DB, PredictionStage } from '../schema.ts';
import { type PredictionEntryInput, snapshotHash, validateEntries } from './entries.ts';
import { formatPath, PredictionError, type SubmissionIssue, throwIfInvalid } from './errors.ts';
import {
  existingByKey,
  insertEntries,
  insertSets,
  keyOf,
  liveSets,
  loadRaces,
  type Prepared,
  type RaceRow,
  resolveDrivers,
  type SetRow,
} from './submit-sql.ts';

/** Built-in models: computed by the system, never submitted by clients. */
export const BUILT_IN_MODELS = ['elo-baseline', 'grid-baseline'] as const;

export interface PredictionSetInput {
  season: number;
  round: number;
  model: string;
  version: string;
  /** Defaults to post_qualifying once the race's qualifying (or result) is recorded, else pre_qualifying. */
  stage?: PredictionStage;
  backtest?: boolean;
  idempotencyKey?: string | null;
  entries: PredictionEntryInput[];
}

export interface SubmitOptions {
  /** Who submits ('key:3', 'user:12', 'system'); idempotency keys are scoped to it. */
  submittedBy: string;
  /** The clock for the freeze rule (tests pin it). */
  now?: Date;
  /** Path of the sets in the request, for error messages (`['sets']`; `[]` for a single submission). */
  path?: (string | number)[];
}

export type SubmitStatus = 'created' | 'replaced' | 'unchanged';

export interface SubmittedSet {
  setId: number;
  raceId: number;
  season: number;
  round: number;
  model: string;
  version: string;
  stage: PredictionStage;
  backtest: boolean;
  entryCount: number;
  snapshotHash: string;
  submittedAt: Date;
  status: SubmitStatus;
  /** The live set this one superseded (status 'replaced'). */
  replacedSetId: number | null;
}

/** When live predictions for the race close: its scheduled start, or the start of race day (UTC). */
export function freezeTime(race: { starts_at: Date | null; date: string }): Date {
  return race.starts_at ?? new Date(`${race.date}T00:00:00Z`);
}

function prepare(
  sets: PredictionSetInput[],
  races: Map<string, RaceRow>,
  options: Required<SubmitOptions>,
): Prepared[] {
  const prepared: Prepared[] = [];
  const notFound: SubmissionIssue[] = [];
  sets.forEach((input, index) => {
    const at = [...options.path, ...(options.path.length ? [index] : [])];
    const race = races.get(`${input.season}:${input.round}`);
    if (!race) {
      notFound.push({
        path: [...at, 'round'],
        message: `no race ${input.season} round ${input.round}`,
      });
      return;
    }
    if (
      (BUILT_IN_MODELS as readonly string[]).includes(input.model) &&
      options.submittedBy !== 'system'
    ) {
      throw new PredictionError(
        'RESERVED_MODEL',
        `${formatPath([...at, 'model']) || 'model'}: '${input.model}' is a built-in model name`,
      );
    }
    const backtest = input.backtest ?? false;
    if (!backtest && (race.has_results || options.now >= freezeTime(race))) {
      throw new PredictionError(
        'FROZEN',
        `predictions for ${race.season} round ${race.round} are frozen since the race's scheduled start (${freezeTime(race).toISOString()}); submit with backtest: true for a retrospective prediction`,
      );
    }
    const stage =
      input.stage ?? (race.has_grid || race.has_results ? 'post_qualifying' : 'pre_qualifying');
    prepared.push({ index, input, race, stage, backtest, hash: snapshotHash(input.entries) });
  });
  if (notFound.length) {
    throw new PredictionError(
      'RACE_NOT_FOUND',
      notFound.map((i) => i.message).join('; '),
      notFound,
    );
  }
  return prepared;
}

async function validate(
  trx: Transaction<DB>,
  prepared: Prepared[],
  path: (string | number)[],
  results: ReadonlyMap<number, ClassifiedResult[]>,
) {
  const lists = await raceEntryLists(trx, [...new Set(prepared.map((p) => p.race.id))], results);
  const issues: SubmissionIssue[] = [];
  const seenKeys = new Map<string, number>();
  for (const p of prepared) {
    const at = [...path, ...(path.length ? [p.index] : [])];
    const list = lists.get(p.race.id);
    if (!list) {
      throw new PredictionError(
        'ENTRY_LIST_UNKNOWN',
        `the entry list of ${p.race.season} round ${p.race.round} is not known yet (no qualifying and no earlier race this season)`,
      );
    }
    issues.push(...validateEntries(p.input.entries, list.drivers, [...at, 'entries']));
    const key = keyOf(p);
    const first = seenKeys.get(key);
    if (first !== undefined) {
      issues.push({
        path: at,
        message: `repeats ${formatPath([...path, first])} (same race, model, version, stage)`,
      });
    } else seenKeys.set(key, p.index);
  }
  throwIfInvalid(issues);
}

function toResult(
  p: Prepared,
  row: SetRow,
  status: SubmitStatus,
  replaced: number | null,
): SubmittedSet {
  return {
    setId: row.id,
    raceId: row.race_id,
    season: p.race.season,
    round: p.race.round,
    model: row.model,
    version: row.version,
    stage: row.stage,
    backtest: row.backtest,
    entryCount: row.entry_count,
    snapshotHash: row.snapshot_hash,
    submittedAt: row.submitted_at,
    status,
    replacedSetId: replaced,
  };
}

export interface SubmissionOutcome {
  /** One result per input set, in order. */
  sets: SubmittedSet[];
  /** The accuracy rows (re)computed in the same transaction, for races with results. */
  accuracy: AccuracyRowKey[];
}

/**
 * Validates and stores prediction sets in one transaction (all or nothing); returns one result per
 * input set, in order. Throws `PredictionError` (INVALID issues name the field, e.g. `sets[2].entries[4].winProbability`).
 */
export async function submitPredictionSets(
  db: Kysely<DB>,
  sets: PredictionSetInput[],
  options: SubmitOptions,
): Promise<SubmittedSet[]> {
  return (await submitAndScorePredictionSets(db, sets, options)).sets;
}

/** `submitPredictionSets`, also returning the accuracy rows the same transaction stored. */
export async function submitAndScorePredictionSets(
  db: Kysely<DB>,
  sets: PredictionSetInput[],
  options: SubmitOptions,
): Promise<SubmissionOutcome> {
  if (sets.length === 0) return { sets: [], accuracy: [] };
  const opts: Required<SubmitOptions> = { now: new Date(), path: [], ...options };
  try {
    return await db.transaction().execute((trx) => submitInTransaction(trx, sets, opts));
  } catch (error) {
    // The same idempotency key sent concurrently for two different races: one wins, the other conflicts.
    if ((error as { code?: unknown }).code === '23505' && String(error).includes('idempotency')) {
      throw new PredictionError(
        'IDEMPOTENCY_CONFLICT',
        'idempotencyKey was already used for a different submission',
      );
    }
    throw error;
  }
}

async function submitInTransaction(
  trx: Transaction<DB>,
  sets: PredictionSetInput[],
  opts: Required<SubmitOptions>,
): Promise<SubmissionOutcome> {
  const prepared = prepare(sets, await loadRaces(trx, sets), opts);
  // The races' accuracy locks, first: they serialise every writer of a race's sets (two submitters
  // racing for a live slot) and its scorers, and make the results read here the ones scored — results
  // landing meanwhile wait for the lock and are scored by their ingest. One read of the results
  // serves both the entry lists and the scoring.
  const races = [...new Map(prepared.map((p) => [p.race.id, p.race])).values()].sort(
    (a, b) => a.id - b.id,
  );
  await lockAccuracy(
    trx,
    races.map((r) => r.id),
  );
  const classified = await readResults(
    trx,
    races.map((r) => r.id),
  );
  await validate(trx, prepared, opts.path, classified);
  const byKey = await existingByKey(trx, prepared, opts.submittedBy);
  const live = await liveSets(trx, prepared);

  const results = new Array<SubmittedSet | undefined>(sets.length);
  const fresh: Prepared[] = [];
  for (const p of prepared) {
    const previous = p.input.idempotencyKey ? byKey.get(p.input.idempotencyKey) : undefined;
    if (previous) {
      const same =
        previous.race_id === p.race.id &&
        previous.model === p.input.model &&
        previous.version === p.input.version &&
        previous.backtest === p.backtest &&
        previous.stage === p.stage &&
        previous.snapshot_hash === p.hash;
      if (!same) {
        const at = formatPath([
          ...opts.path,
          ...(opts.path.length ? [p.index] : []),
          'idempotencyKey',
        ]);
        throw new PredictionError(
          'IDEMPOTENCY_CONFLICT',
          `${at}: '${p.input.idempotencyKey}' was already used for a different submission`,
        );
      }
      results[p.index] = toResult(p, previous, 'unchanged', null);
      continue;
    }
    const current = live.get(keyOf(p));
    if (current?.snapshot_hash === p.hash)
      results[p.index] = toResult(p, current, 'unchanged', null);
    else fresh.push(p);
  }
  if (fresh.length === 0) return { sets: results.filter((r) => r !== undefined), accuracy: [] };

  const superseded = fresh.flatMap((p) => live.get(keyOf(p))?.id ?? []);
  // Every race with a new set, live or backtest, is scored here, from its other current sets (read
  // now, under the lock) and the new ones (in memory).
  const freshRaces = new Set(fresh.map((p) => p.race.id));
  const raceIds = races.flatMap((r) => (freshRaces.has(r.id) ? [r.id] : []));
  const scoring = await readScoring(
    trx,
    races.filter((r) => freshRaces.has(r.id)),
    classified,
    superseded,
  );
  if (superseded.length) {
    await sql`UPDATE prediction_sets SET superseded_at = now() WHERE id = ANY(${superseded}::bigint[])`.execute(
      trx,
    );
  }
  const inserted = await insertSets(trx, fresh, opts.submittedBy);
  const setIds = fresh.map((p) => inserted.get(keyOf(p))?.id ?? 0);
  const driverIds = await resolveDrivers(trx, fresh);
  const storing = insertEntries(trx, fresh, setIds, driverIds);
  // Handled below; this only keeps a failure from counting as unhandled while the rows are built.
  storing.catch(() => {});
  for (const p of fresh) {
    const row = inserted.get(keyOf(p));
    if (!row) throw new Error('inserted prediction set not returned');
    const replaced = live.get(keyOf(p))?.id ?? null;
    results[p.index] = toResult(p, row, replaced === null ? 'created' : 'replaced', replaced);
    if (!scoring.results.has(row.race_id)) continue;
    const entries = p.input.entries.map((e) => ({
      driverId: driverIds.get(e.driverId) ?? 0,
      predictedPosition: e.predictedPosition,
      winProbability: e.winProbability,
      podiumProbability: e.podiumProbability,
    }));
    const raceSets = scoring.sets.get(row.race_id) ?? [];
    raceSets.push({ ...row, entries });
    scoring.sets.set(row.race_id, raceSets);
  }
  // The accuracy rows are built (and encoded) from the sets in memory while PostgreSQL inserts
  // their entries.
  const rows = await buildAccuracyRows(scoring);
  const encoded = encodeAccuracyRows(rows);
  await storing;
  const accuracy = await storeAccuracyRows(trx, raceIds, rows, encoded);
  return { sets: results.filter((r) => r !== undefined), accuracy };
}
