/**
 * Lap timings and pit stops of a race (`races.laps`, `races.pitStops`).
 *
 * Laps are paged by keyset in the order lap, position (unknown positions last), driver_ref; the page
 * and the race's header with the filtered total are two statements (a race has ~1,000–1,400 timings,
 * so the count is cheap and the page never needs an offset). Pit stops are one statement in the order
 * they happened: local time of day, then stop.
 */
import { type Kysely, sql } from 'kysely';
import type { DB, Driver, LapTime, PitStop } from '../schema.ts';
import { compiledOnce } from '../sql/compiled.ts';
import type { RaceHeaderRow, RaceRef } from './results.ts';

/** Where an unknown position sorts: after every real one (positions are `smallint`). */
export const NO_POSITION = 32_767;

export interface LapFilter {
  /** Only this driver's timings. */
  driverRef?: string | undefined;
  /** Only this lap. */
  lap?: number | undefined;
}

/** A timing's place in the order; `position` is NO_POSITION for an unknown one. */
export interface LapKey {
  lap: number;
  position: number;
  driverRef: string;
}

export type LapRow = Pick<LapTime, 'lap' | 'position' | 'time_millis'> & Pick<Driver, 'driver_ref'>;

export type PitStopRow = Pick<PitStop, 'stop' | 'lap' | 'time_of_day' | 'duration_millis'> &
  Pick<Driver, 'driver_ref' | 'code' | 'given_name' | 'family_name'>;

const HEADER_COLUMNS = ['r.season', 'r.round', 'r.name as race_name', 'r.date'] as const;

/** The timings of one race matching `filter` (joined to races and drivers, not yet selected). */
function matchingLaps(db: Kysely<DB>, race: RaceRef, filter: LapFilter) {
  let query = db
    .selectFrom('lap_times as l')
    .innerJoin('races as r', 'r.id', 'l.race_id')
    .innerJoin('drivers as d', 'd.id', 'l.driver_id')
    .where('r.season', '=', race.season)
    .where('r.round', '=', race.round);
  if (filter.driverRef !== undefined) query = query.where('d.driver_ref', '=', filter.driverRef);
  if (filter.lap !== undefined) query = query.where('l.lap', '=', filter.lap);
  return query;
}

const sortPosition = sql<number>`coalesce(l.position, ${sql.lit(NO_POSITION)})`;

/** One page of a race's timings: `limit` rows strictly after `after` (fetch limit + 1 to see more). */
export function raceLaps(
  db: Kysely<DB>,
  race: RaceRef,
  params: LapFilter & { limit: number; after?: LapKey | undefined },
): Promise<LapRow[]> {
  let query = matchingLaps(db, race, params).select([
    'l.lap',
    'l.position',
    'l.time_millis',
    'd.driver_ref',
  ]);
  const { after } = params;
  if (after)
    query = query.where(
      sql<boolean>`(l.lap, ${sortPosition}, d.driver_ref) > (${after.lap}, ${after.position}, ${after.driverRef})`,
    );
  return query
    .orderBy('l.lap')
    .orderBy(sortPosition)
    .orderBy('d.driver_ref')
    .limit(params.limit)
    .execute();
}

/** The race's header and how many timings match `filter`; undefined when there is no such race. */
export async function raceLapTotal(
  db: Kysely<DB>,
  race: RaceRef,
  filter: LapFilter,
): Promise<(RaceHeaderRow & { total: number }) | undefined> {
  const row = await db
    .selectFrom('races as r')
    .select(HEADER_COLUMNS)
    .select(() =>
      matchingLaps(db, race, filter).select(sql<number>`count(*)::int`.as('n')).as('total'),
    )
    .where('r.season', '=', race.season)
    .where('r.round', '=', race.round)
    .executeTakeFirst();
  return row && { ...row, total: row.total ?? 0 };
}

const racePitStopsCompiled = compiledOnce((db: Kysely<DB>, season: number, round: number) =>
  db
    .selectFrom('pit_stops as p')
    .innerJoin('races as r', 'r.id', 'p.race_id')
    .innerJoin('drivers as d', 'd.id', 'p.driver_id')
    .select([
      ...HEADER_COLUMNS,
      'd.driver_ref',
      'd.code',
      'd.given_name',
      'd.family_name',
      'p.stop',
      'p.lap',
      'p.time_of_day',
      'p.duration_millis',
    ])
    .where('r.season', '=', season)
    .where('r.round', '=', round)
    // 'H:MM:SS' as text would put 9:59:00 after 10:00:00; as an interval it sorts by time.
    .orderBy(sql`cast(p.time_of_day as interval)`)
    .orderBy('p.stop')
    .orderBy('d.driver_ref'),
);

/** A race's pit stops in the order they happened (time of day, then stop). */
export function racePitStops(
  db: Kysely<DB>,
  race: RaceRef,
): Promise<(PitStopRow & RaceHeaderRow)[]> {
  return racePitStopsCompiled(db, race.season, race.round);
}
