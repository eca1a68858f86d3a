/**
 * The facade's result rows: race results, sprint results and qualifying, each filtered by the
 * request's `ErgastFilter` and paged by result row (so a race may split across pages, as at the
 * source), with the driver and constructor columns the dialect prints. Race headers are read
 * separately (`raceHeaders`).
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';
import { DRIVER_COLUMNS, type DriverColumns, TEAM_COLUMNS, type TeamColumns } from './columns.ts';
import {
  type ErgastFilter,
  entryConditions,
  matchingRaces,
  matchingResults,
  statusTextOf,
} from './filter.ts';
import { type Paging, paged } from './paging.ts';

/** A driver and (left-joined, so possibly unknown) constructor as the dialect prints them. */
export type EntrantColumns = DriverColumns & { [K in keyof TeamColumns]: TeamColumns[K] | null };

export interface ResultRow extends EntrantColumns {
  race_id: number;
  number: number | null;
  position: number | null;
  /** The classification order: the dialect's `position`, given to every entry. */
  position_order: number;
  position_text: string;
  points: number;
  grid: number | null;
  laps: number | null;
  status: string | null;
  time_millis: number | null;
  time_text: string | null;
  fastest_lap: number | null;
  fastest_lap_millis: number | null;
  fastest_lap_rank: number | null;
  fastest_lap_speed_kph: number | null;
}

export interface QualifyingRow extends EntrantColumns {
  race_id: number;
  number: number | null;
  position: number;
  q1_millis: number | null;
  q2_millis: number | null;
  q3_millis: number | null;
}

const ENTRANT_COLUMNS = [...DRIVER_COLUMNS, ...TEAM_COLUMNS] as const;

/** Race results in scope; a `results/{n}` filter counts classified finishers only. */
export function raceResultRows(db: Kysely<DB>, filter: ErgastFilter, page: Paging) {
  const from = matchingResults(db, filter)
    .innerJoin('drivers as d', 'd.id', 'r.driver_id')
    .leftJoin('teams as t', 't.id', 'r.team_id');
  return paged(
    from,
    (q) =>
      q
        .select([
          'r.race_id',
          'r.number',
          'r.position',
          'r.position_order',
          'r.position_text',
          'r.points',
          'r.grid',
          'r.laps',
          'r.status',
          'r.time_millis',
          'r.time_text',
          'r.fastest_lap',
          'r.fastest_lap_millis',
          'r.fastest_lap_rank',
          'r.fastest_lap_speed_kph',
          ...ENTRANT_COLUMNS,
        ])
        .orderBy('ra.season')
        .orderBy('ra.round')
        .orderBy('r.position_order'),
    page,
  );
}

/**
 * Sprint results in scope. `sprintPosition` (`sprint/{n}`) is the classified sprint position; grid and
 * status are the sprint's own (jolpica `SprintViewSet`); finishing position and fastest-lap rank speak
 * of the driver's race.
 */
export function sprintResultRows(
  db: Kysely<DB>,
  filter: ErgastFilter & { sprintPosition?: number },
  page: Paging,
) {
  const { driverRef, teamRef, grid, statusId, sprintPosition } = filter;
  let from = matchingRaces(db, filter)
    .innerJoin('sprint_results as x', 'x.race_id', 'ra.id')
    .innerJoin('drivers as d', 'd.id', 'x.driver_id')
    .leftJoin('teams as t', 't.id', 'x.team_id');
  const onRace = { position: filter.position, fastestRank: filter.fastestRank };
  const entry = entryConditions(db, { driverRef, teamRef }, onRace);
  if (entry) from = from.where(entry);
  if (grid !== undefined) from = from.where('x.grid', '=', grid);
  if (statusId !== undefined) from = from.where('x.status', 'in', statusTextOf(db, statusId));
  if (sprintPosition !== undefined) from = from.where('x.position', '=', sprintPosition);
  return paged(
    from,
    (q) =>
      q
        .select([
          'x.race_id',
          'x.number',
          'x.position',
          'x.position_order',
          'x.position_text',
          'x.points',
          'x.grid',
          'x.laps',
          'x.status',
          'x.time_millis',
          'x.time_text',
          'x.fastest_lap',
          'x.fastest_lap_millis',
          sql<number | null>`NULL::int`.as('fastest_lap_rank'),
          sql<number | null>`NULL::numeric`.as('fastest_lap_speed_kph'),
          ...ENTRANT_COLUMNS,
        ])
        .orderBy('ra.season')
        .orderBy('ra.round')
        .orderBy('x.position_order'),
    page,
  );
}

/** The place of a qualifying part: the rank of its time among the drivers who set one. */
const partRank = (column: 'q1_millis' | 'q2_millis' | 'q3_millis') => {
  const time = sql.ref(`q.${column}`);
  return sql<
    number | null
  >`CASE WHEN ${time} IS NULL THEN NULL ELSE rank() OVER (PARTITION BY q.race_id ORDER BY ${time} IS NULL, ${time}) END`;
};

/**
 * Qualifying rows in scope. Grid, position, fastest and status speak of the driver's race (jolpica
 * `QualifyingViewSet`); `qualifying/{n}` matches a driver placed n-th in any of Q1, Q2, Q3. Paged in
 * the source's order: by race, then by the driver's best place in any part (race order under a status
 * or position filter); the caller lists each race by position.
 */
export function qualifyingRows(
  db: Kysely<DB>,
  filter: ErgastFilter & { qualifyingPosition?: number },
  page: Paging,
) {
  const { driverRef, teamRef, grid, position, fastestRank, statusId, qualifyingPosition } = filter;
  const ranked = db
    .selectFrom('qualifying_results as q')
    .selectAll('q')
    .select([
      partRank('q1_millis').as('q1_rank'),
      partRank('q2_millis').as('q2_rank'),
      partRank('q3_millis').as('q3_rank'),
    ]);
  let from = matchingRaces(db, filter)
    .innerJoin(ranked.as('x'), 'x.race_id', 'ra.id')
    .innerJoin('drivers as d', 'd.id', 'x.driver_id')
    .leftJoin('teams as t', 't.id', 'x.team_id');
  const entry = entryConditions(
    db,
    { driverRef, teamRef },
    { grid, position, fastestRank, statusId },
  );
  if (entry) from = from.where(entry);
  const n = qualifyingPosition;
  if (n !== undefined)
    from = from.where((eb) =>
      eb.or([
        eb('x.position', '=', n),
        eb('x.q1_rank', '=', n),
        eb('x.q2_rank', '=', n),
        eb('x.q3_rank', '=', n),
      ]),
    );
  /*
   * The source pages by the driver's best place in any part, then lists a race by position. With a
   * `status/{id}` or `results/{n}` filter its best place is NULL (jolpica `QualifyingViewSet`: that
   * filter joins the driver's race entry before the `Min(position)` annotation, which then sees no
   * qualifying row) and the rows come in entry order, which is the race's classification order.
   */
  const raceSideFilter = statusId !== undefined || position !== undefined;
  const within = raceSideFilter
    ? sql`(SELECT rr.position_order FROM race_results rr
        WHERE rr.race_id = x.race_id AND rr.driver_id = x.driver_id)`
    : sql`LEAST(x.q1_rank, x.q2_rank, x.q3_rank, x.position)`;
  return paged(
    from,
    (q) =>
      q
        .select([
          'x.race_id',
          'x.number',
          'x.position',
          'x.q1_millis',
          'x.q2_millis',
          'x.q3_millis',
          ...ENTRANT_COLUMNS,
        ])
        .orderBy('ra.season')
        .orderBy('ra.round')
        .orderBy(within)
        .orderBy('x.position'),
    page,
  );
}
