/**
 * Submitting prediction sets: one or thousands in one transaction, with a fixed number of statements
 * whatever the count (races, entry lists, locks, idempotency, live sets, supersede, insert sets, insert
 * rows), so a backfill of 100k rows runs at bulk speed and a single submission pays the same small price.
 *
 * Per set: validated against the race's entry list; a repeat of the live set (same snapshot) or of an
 * earlier idempotency key is a no-op returning the original; a new snapshot supersedes the live set,
 * which is kept as history. Live sets are frozen at the race's scheduled start; backtests are not.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import {
  type PredictionEntryInput,
  snapshotHash,
  validateEntries,
} from '../predictions/entries.ts';
import {
  formatPath,
  PredictionError,
  type SubmissionIssue,
  throwIfInvalid,
} from '../predictions/errors.ts';
import type { DB, PredictionStage } from '../schema.ts';
import { raceEntryLists } from './race-entries.ts';

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

interface RaceRow {
  id: number;
  season: number;
  round: number;
  starts_at: Date | null;
  date: string;
  has_results: boolean;
  has_grid: boolean;
}

interface SetRow {
  id: number;
  race_id: number;
  model: string;
  version: string;
  backtest: boolean;
  stage: PredictionStage;
  snapshot_hash: string;
  entry_count: number;
  submitted_at: Date;
  idempotency_key: string | null;
}

interface Prepared {
  index: number;
  input: PredictionSetInput;
  race: RaceRow;
  stage: PredictionStage;
  backtest: boolean;
  hash: string;
}

const SET_COLUMNS = sql.raw(
  'id, race_id, model, version, backtest, stage, snapshot_hash, entry_count, submitted_at, idempotency_key',
);

/** A boolean[] parameter: postgres.js mis-types JS boolean arrays, so they travel as text. */
const boolArray = (values: boolean[]) => sql`${values.map((v) => (v ? 't' : 'f'))}::text[]::bool[]`;

/** When live predictions for the race close: its scheduled start, or the start of race day (UTC). */
export function freezeTime(race: { starts_at: Date | null; date: string }): Date {
  return race.starts_at ?? new Date(`${race.date}T00:00:00Z`);
}

async function loadRaces(trx: Transaction<DB>, sets: PredictionSetInput[]) {
  const rows = await sql<RaceRow>`
    SELECT r.id, r.season, r.round, r.starts_at, r.date,
      EXISTS (SELECT 1 FROM race_results x WHERE x.race_id = r.id) AS has_results,
      EXISTS (SELECT 1 FROM qualifying_results q WHERE q.race_id = r.id) AS has_grid
    FROM races r
    JOIN (SELECT DISTINCT * FROM unnest(${sets.map((s) => s.season)}::int[], ${sets.map((s) => s.round)}::int[]))
      AS k(season, round) ON k.season = r.season AND k.round = r.round`.execute(trx);
  return new Map(rows.rows.map((r) => [`${r.season}:${r.round}`, r]));
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

async function validate(trx: Transaction<DB>, prepared: Prepared[], path: (string | number)[]) {
  const lists = await raceEntryLists(trx, [...new Set(prepared.map((p) => p.race.id))]);
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

interface KeyParts {
  model: string;
  version: string;
  backtest: boolean;
  stage: string;
}

/** The live-set key: one live set per race, model, version, backtest flag and stage. */
const naturalKey = (raceId: number, k: KeyParts) =>
  `${raceId}\u0000${k.model}\u0000${k.version}\u0000${k.backtest}\u0000${k.stage}`;
const keyOf = (p: Prepared) =>
  naturalKey(p.race.id, { ...p.input, backtest: p.backtest, stage: p.stage });

/** Serialises writers of the same race/model/version (two submitters racing for the live slot). */
async function lock(trx: Transaction<DB>, prepared: Prepared[]) {
  const keys = [
    ...new Set(prepared.map((p) => `${p.race.id}\u0000${p.input.model}/${p.input.version}`)),
  ].sort();
  await sql`
    SELECT count(pg_advisory_xact_lock(k.race_id, hashtext(k.name)))
    FROM (SELECT * FROM unnest(${keys.map((k) => Number(k.split('\u0000')[0]))}::int[], ${keys.map((k) => k.split('\u0000')[1] ?? '')}::text[])
      AS u(race_id, name) ORDER BY 1, 2) k`.execute(trx);
}

async function existingByKey(trx: Transaction<DB>, prepared: Prepared[], submittedBy: string) {
  const keys = prepared.flatMap((p) => (p.input.idempotencyKey ? [p.input.idempotencyKey] : []));
  if (keys.length === 0) return new Map<string, SetRow>();
  const rows = await sql<SetRow>`
    SELECT ${SET_COLUMNS} FROM prediction_sets
    WHERE submitted_by = ${submittedBy} AND idempotency_key = ANY(${keys}::text[])`.execute(trx);
  return new Map(rows.rows.map((r) => [r.idempotency_key ?? '', r]));
}

async function liveSets(trx: Transaction<DB>, prepared: Prepared[]) {
  const rows = await sql<SetRow>`
    SELECT ${SET_COLUMNS} FROM prediction_sets ps
    WHERE ps.superseded_at IS NULL AND (ps.race_id, ps.model, ps.version, ps.backtest, ps.stage) IN (
      SELECT * FROM unnest(${prepared.map((p) => p.race.id)}::int[], ${prepared.map((p) => p.input.model)}::text[],
        ${prepared.map((p) => p.input.version)}::text[], ${boolArray(prepared.map((p) => p.backtest))},
        ${prepared.map((p) => p.stage)}::text[]))`.execute(trx);
  return new Map(rows.rows.map((r) => [naturalKey(r.race_id, r), r]));
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

async function insertSets(trx: Transaction<DB>, fresh: Prepared[], submittedBy: string) {
  const col = <T>(f: (p: Prepared) => T) => fresh.map(f);
  const rows = await sql<SetRow>`
    INSERT INTO prediction_sets (race_id, model, version, backtest, stage, submitted_by, idempotency_key, snapshot_hash, entry_count)
    SELECT race_id, model, version, backtest, stage, ${submittedBy}, idempotency_key, snapshot_hash, entry_count
    FROM unnest(${col((p) => p.race.id)}::int[], ${col((p) => p.input.model)}::text[], ${col((p) => p.input.version)}::text[],
      ${boolArray(col((p) => p.backtest))}, ${col((p) => p.stage)}::text[], ${col((p) => p.input.idempotencyKey ?? null)}::text[],
      ${col((p) => p.hash)}::text[], ${col((p) => p.input.entries.length)}::int[])
      AS u(race_id, model, version, backtest, stage, idempotency_key, snapshot_hash, entry_count)
    RETURNING ${SET_COLUMNS}`.execute(trx);
  return new Map(rows.rows.map((r) => [naturalKey(r.race_id, r), r]));
}

async function insertEntries(trx: Transaction<DB>, fresh: Prepared[], setIds: number[]) {
  const refs = [...new Set(fresh.flatMap((p) => p.input.entries.map((e) => e.driverId)))];
  const drivers = await sql<{ id: number; driver_ref: string }>`
    SELECT id, driver_ref FROM drivers WHERE driver_ref = ANY(${refs}::text[])`.execute(trx);
  const driverId = new Map(drivers.rows.map((d) => [d.driver_ref, d.id]));
  const cols = {
    race: [] as number[],
    set: [] as number[],
    driver: [] as number[],
    pos: [] as number[],
  };
  const probs = {
    win: [] as number[],
    podium: [] as number[],
    points: [] as (number | null)[],
    grid: [] as (number | null)[],
  };
  fresh.forEach((p, i) => {
    for (const e of p.input.entries) {
      cols.race.push(p.race.id);
      cols.set.push(setIds[i] ?? 0);
      cols.driver.push(driverId.get(e.driverId) ?? 0);
      cols.pos.push(e.predictedPosition);
      probs.win.push(e.winProbability);
      probs.podium.push(e.podiumProbability);
      probs.points.push(e.pointsProbability ?? null);
      probs.grid.push(e.predictedGrid ?? null);
    }
  });
  await sql`
    INSERT INTO predictions (race_id, set_id, driver_id, predicted_position, win_probability, podium_probability, points_probability, predicted_grid)
    SELECT * FROM unnest(${cols.race}::int[], ${cols.set}::bigint[], ${cols.driver}::int[], ${cols.pos}::smallint[],
      ${probs.win}::float8[], ${probs.podium}::float8[], ${probs.points}::float8[], ${probs.grid}::smallint[])`.execute(
    trx,
  );
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
  if (sets.length === 0) return [];
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
): Promise<SubmittedSet[]> {
  const prepared = prepare(sets, await loadRaces(trx, sets), opts);
  await validate(trx, prepared, opts.path);
  await lock(trx, prepared);
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
  if (fresh.length === 0) return results.filter((r) => r !== undefined);

  const superseded = fresh.flatMap((p) => live.get(keyOf(p))?.id ?? []);
  if (superseded.length) {
    await sql`UPDATE prediction_sets SET superseded_at = now() WHERE id = ANY(${superseded}::bigint[])`.execute(
      trx,
    );
  }
  const inserted = await insertSets(trx, fresh, opts.submittedBy);
  const setIds = fresh.map((p) => inserted.get(keyOf(p))?.id ?? 0);
  await insertEntries(trx, fresh, setIds);
  for (const p of fresh) {
    const row = inserted.get(keyOf(p));
    if (!row) throw new Error('inserted prediction set not returned');
    const replaced = live.get(keyOf(p))?.id ?? null;
    results[p.index] = toResult(p, row, replaced === null ? 'created' : 'replaced', replaced);
  }
  return results.filter((r) => r !== undefined);
}
