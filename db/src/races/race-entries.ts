/**
 * Who is entered in a race, for validating predictions: the race classification once it exists, else
 * the qualifying classification, else (provisionally) the field of the latest earlier race of the same
 * season. Before a season's first qualifying there is no entry list at all.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

export type EntryListSource = 'results' | 'qualifying' | 'previous_race';

export interface EntryList {
  source: EntryListSource;
  /** Public driver ids. */
  drivers: Set<string>;
}

async function classifiedEntries(
  db: Kysely<DB>,
  raceIds: number[],
): Promise<Map<number, EntryList>> {
  const rows = await sql<{ race_id: number; driver_ref: string; source: 'results' | 'qualifying' }>`
    SELECT e.race_id, d.driver_ref, e.source
    FROM (
      SELECT race_id, driver_id, 'results' AS source FROM race_results WHERE race_id = ANY(${raceIds}::int[])
      UNION ALL
      SELECT race_id, driver_id, 'qualifying' FROM qualifying_results WHERE race_id = ANY(${raceIds}::int[])
    ) e
    JOIN drivers d ON d.id = e.driver_id`.execute(db);
  const lists = new Map<number, EntryList>();
  // UNION ALL, not UNION: a driver listed twice (a shared car) lands in a Set once anyway, and
  // deduplicating the 100k rows of a 5,000-race bulk submission in SQL took ~40 ms of a ~100 ms read.
  // Results win over qualifying: late withdrawals and substitutes show up only in the classification.
  for (const source of ['results', 'qualifying'] as const) {
    for (const row of rows.rows) {
      if (row.source !== source) continue;
      const existing = lists.get(row.race_id);
      if (existing && existing.source !== source) continue;
      if (existing) existing.drivers.add(row.driver_ref);
      else lists.set(row.race_id, { source, drivers: new Set([row.driver_ref]) });
    }
  }
  return lists;
}

/**
 * Entry lists of the given races; races with none known are absent from the map. `classified`: the
 * classifications the caller already read (a submission reads them for scoring), so only the other
 * races are looked up.
 */
export async function raceEntryLists(
  db: Kysely<DB>,
  raceIds: number[],
  classified: ReadonlyMap<number, readonly { driver_ref: string }[]> = new Map(),
): Promise<Map<number, EntryList>> {
  const rest = raceIds.filter((id) => !classified.has(id));
  const lists = rest.length ? await classifiedEntries(db, rest) : new Map<number, EntryList>();
  for (const [raceId, rows] of classified) {
    lists.set(raceId, { source: 'results', drivers: new Set(rows.map((r) => r.driver_ref)) });
  }
  const unknown = raceIds.filter((id) => !lists.has(id));
  if (unknown.length === 0) return lists;
  const previous = await sql<{ race_id: number; previous_id: number }>`
    SELECT DISTINCT ON (target.id) target.id AS race_id, prev.id AS previous_id
    FROM races target
    JOIN races prev ON prev.season = target.season AND prev.round < target.round
    WHERE target.id = ANY(${unknown}::int[])
      AND (EXISTS (SELECT 1 FROM race_results r WHERE r.race_id = prev.id)
        OR EXISTS (SELECT 1 FROM qualifying_results q WHERE q.race_id = prev.id))
    ORDER BY target.id, prev.round DESC`.execute(db);
  const previousLists = await classifiedEntries(
    db,
    previous.rows.map((r) => r.previous_id),
  );
  for (const { race_id, previous_id } of previous.rows) {
    const list = previousLists.get(previous_id);
    if (list) lists.set(race_id, { source: 'previous_race', drivers: new Set(list.drivers) });
  }
  return lists;
}
