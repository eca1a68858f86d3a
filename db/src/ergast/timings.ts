/**
 * The facade's lap timings and pit stops of one race (the dialect requires season and round), filtered
 * by driver, lap and stop, paged by timing / stop row. The result filters speak of the driver's race
 * result; a constructor filter, of the race (it has a result of that constructor).
 */
import { type Expression, expressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { DB } from '../schema.ts';
import { type ErgastFilter, entryConditions, raceIdsInScope } from './filter.ts';
import { type Paging, paged } from './paging.ts';

export interface LapRow {
  race_id: number;
  lap: number;
  driver_ref: string;
  position: number | null;
  time_millis: number | null;
}

export interface PitStopRow {
  race_id: number;
  driver_ref: string;
  lap: number;
  stop: number;
  time_of_day: string;
  duration_millis: number | null;
}

type TimingFilter = ErgastFilter & { lap?: number; stop?: number };

/** The filter's conditions on a timing row `x` (its constructor filter is the race's). */
function timingConditions(db: Kysely<DB>, filter: TimingFilter): Expression<SqlBool> {
  const { season, round, circuitRef, teamRef, driverRef, grid, position, fastestRank, statusId } =
    filter;
  const eb = expressionBuilder<DB & { x: { race_id: number; lap: number } }, 'x'>();
  const inScope = raceIdsInScope(db, { season, round, circuitRef, teamRef });
  const conditions: Expression<SqlBool>[] = [eb('x.race_id', 'in', inScope)];
  const entry = entryConditions(db, { driverRef }, { grid, position, fastestRank, statusId });
  if (entry) conditions.push(entry);
  if (filter.lap !== undefined) conditions.push(eb('x.lap', '=', filter.lap));
  return eb.and(conditions);
}

/** Lap timings in lap order, then position. */
export function lapRows(db: Kysely<DB>, filter: TimingFilter, page: Paging) {
  const from = db
    .selectFrom('lap_times as x')
    .innerJoin('races as ra', 'ra.id', 'x.race_id')
    .innerJoin('drivers as d', 'd.id', 'x.driver_id')
    .where(timingConditions(db, filter));
  return paged(
    from,
    (q) =>
      q
        .select(['x.race_id', 'x.lap', 'd.driver_ref', 'x.position', 'x.time_millis'])
        .orderBy('ra.season')
        .orderBy('ra.round')
        .orderBy('x.lap')
        .orderBy(sql`x.position NULLS LAST`)
        .orderBy('d.driver_ref'),
    page,
  );
}

/** Pit stops in the order they happened (time of day), as the source lists them. */
export function pitStopRows(db: Kysely<DB>, filter: TimingFilter, page: Paging) {
  let from = db
    .selectFrom('pit_stops as x')
    .innerJoin('races as ra', 'ra.id', 'x.race_id')
    .innerJoin('drivers as d', 'd.id', 'x.driver_id')
    .where(timingConditions(db, filter));
  if (filter.stop !== undefined) from = from.where('x.stop', '=', filter.stop);
  return paged(
    from,
    (q) =>
      q
        .select([
          'x.race_id',
          'd.driver_ref',
          'x.lap',
          'x.stop',
          'x.time_of_day',
          'x.duration_millis',
        ])
        .orderBy('ra.season')
        .orderBy('ra.round')
        .orderBy(sql`x.time_of_day::time`)
        .orderBy('x.stop')
        .orderBy('d.driver_ref'),
    page,
  );
}
