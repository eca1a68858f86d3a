/**
 * The facade's result rows: race results, sprint results and qualifying, each filtered by the common
 * scope and paged by result row (so a race may split across pages, as at the source), with the driver
 * and constructor columns the dialect prints. Race headers are read separately (`raceHeaders`).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../schema.ts';
import type { Paging } from './races.ts';
import {
  type Condition,
  type ErgastScope,
  resultConditions,
  scopeConditions,
  whereAll,
} from './scope.ts';

/** A driver and (left-joined) constructor as the dialect prints them. */
export interface EntrantColumns {
  driver_ref: string;
  permanent_number: number | null;
  code: string | null;
  driver_url: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  driver_nationality: string | null;
  team_ref: string | null;
  team_url: string | null;
  team_name: string | null;
  team_nationality: string | null;
}

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

const ENTRANT = sql`d.driver_ref, d.permanent_number, d.code, d.url AS driver_url, d.given_name,
  d.family_name, d.date_of_birth, d.nationality AS driver_nationality,
  t.team_ref, t.url AS team_url, t.name AS team_name, t.nationality AS team_nationality`;

const JOINS = (x: string) => sql`JOIN races r ON r.id = ${sql.ref(`${x}.race_id`)}
  JOIN circuits c ON c.id = r.circuit_id
  JOIN drivers d ON d.id = ${sql.ref(`${x}.driver_id`)}
  LEFT JOIN teams t ON t.id = ${sql.ref(`${x}.team_id`)}`;

async function paged<R>(
  db: Kysely<DB>,
  parts: { select: RawBuilder<unknown>; from: RawBuilder<unknown>; order: RawBuilder<unknown> },
  page: Paging,
): Promise<{ total: number; rows: R[] }> {
  const count = await sql<{ total: number }>`SELECT count(*)::int AS total ${parts.from}`.execute(
    db,
  );
  const total = count.rows[0]?.total ?? 0;
  if (total === 0 || page.offset >= total) return { total, rows: [] };
  const { rows } = await sql<R>`
    SELECT ${parts.select} ${parts.from} ORDER BY ${parts.order} LIMIT ${page.limit} OFFSET ${page.offset}
  `.execute(db);
  return { total, rows };
}

/** Race results in scope; a `results/{n}` filter counts classified finishers only. */
export function raceResultRows(db: Kysely<DB>, scope: ErgastScope, page: Paging) {
  const conditions = scopeConditions(scope, {
    race: 'r',
    circuit: 'c',
    driver: 'd',
    team: 't',
    result: 'x',
  });
  return paged<ResultRow>(
    db,
    {
      select: sql`x.race_id, x.number, x.position, x.position_order, x.position_text, x.points, x.grid, x.laps, x.status,
        x.time_millis, x.time_text, x.fastest_lap, x.fastest_lap_millis, x.fastest_lap_rank,
        x.fastest_lap_speed_kph, ${ENTRANT}`,
      from: sql`FROM race_results x ${JOINS('x')} ${whereAll(conditions)}`,
      order: sql`r.season, r.round, x.position_order`,
    },
    page,
  );
}

/** The driver's race result in the same race (sprint and qualifying filters that speak of the race). */
function sameRaceResult(scope: ErgastScope, row: string): Condition[] {
  const onRace = resultConditions(scope, 'rr');
  if (onRace.length === 0) return [];
  return [
    sql`EXISTS (SELECT 1 FROM race_results rr WHERE rr.race_id = ${sql.ref(`${row}.race_id`)}
      AND rr.driver_id = ${sql.ref(`${row}.driver_id`)} AND ${sql.join(onRace, sql` AND `)})`,
  ];
}

/**
 * Sprint results in scope. `sprintPosition` (`sprint/{n}`) is the classified sprint position; grid and
 * status are the sprint's own (jolpica `SprintViewSet`); finishing position and fastest-lap rank speak
 * of the driver's race.
 */
export function sprintResultRows(
  db: Kysely<DB>,
  scope: ErgastScope & { sprintPosition?: number },
  page: Paging,
) {
  const { grid, statusId, ...rest } = scope;
  const own = resultConditions({ grid, statusId }, 'x');
  if (scope.sprintPosition !== undefined) own.push(sql`x.position = ${scope.sprintPosition}`);
  const conditions = [
    ...scopeConditions(
      { ...rest, position: undefined, fastest: undefined },
      { race: 'r', circuit: 'c', driver: 'd', team: 't' },
    ),
    ...own,
    ...sameRaceResult({ position: rest.position, fastest: rest.fastest }, 'x'),
  ];
  return paged<ResultRow>(
    db,
    {
      select: sql`x.race_id, x.number, x.position, x.position_order, x.position_text, x.points, x.grid, x.laps, x.status,
        x.time_millis, x.time_text, x.fastest_lap, x.fastest_lap_millis, NULL::int AS fastest_lap_rank,
        NULL::numeric AS fastest_lap_speed_kph, ${ENTRANT}`,
      from: sql`FROM sprint_results x ${JOINS('x')} ${whereAll(conditions)}`,
      order: sql`r.season, r.round, x.position_order`,
    },
    page,
  );
}

/**
 * Qualifying rows in scope. Grid, position, fastest and status speak of the driver's race (jolpica
 * `QualifyingViewSet`); `qualifying/{n}` matches a driver placed n-th in any of Q1, Q2, Q3 (the place
 * in a part is the rank of its time among the drivers who set one). Paged in the source's order: by
 * race, then by the driver's best place in any part (race order under a status or position filter);
 * the caller lists each race by position.
 */
export function qualifyingRows(
  db: Kysely<DB>,
  scope: ErgastScope & { qualifyingPosition?: number },
  page: Paging,
) {
  const { grid, position, fastest, statusId, qualifyingPosition, ...rest } = scope;
  const conditions = [
    ...scopeConditions(rest, { race: 'r', circuit: 'c', driver: 'd', team: 't' }),
    ...sameRaceResult({ grid, position, fastest, statusId }, 'x'),
  ];
  if (qualifyingPosition !== undefined) {
    const n = qualifyingPosition;
    conditions.push(
      sql`(x.position = ${n} OR x.q1_rank = ${n} OR x.q2_rank = ${n} OR x.q3_rank = ${n})`,
    );
  }
  /*
   * The source pages by the driver's best place in any part, then lists a race by position. With a
   * `status/{id}` or `results/{n}` filter its best place is NULL (jolpica `QualifyingViewSet`: that
   * filter joins the driver's race entry before the `Min(position)` annotation, which then sees no
   * qualifying row) and the rows come in entry order, which is the race's classification order.
   */
  const raceSideFilter = statusId !== undefined || position !== undefined;
  const ranked = sql`(SELECT q.*,
      CASE WHEN q.q1_millis IS NULL THEN NULL ELSE rank() OVER (PARTITION BY q.race_id ORDER BY q.q1_millis IS NULL, q.q1_millis) END AS q1_rank,
      CASE WHEN q.q2_millis IS NULL THEN NULL ELSE rank() OVER (PARTITION BY q.race_id ORDER BY q.q2_millis IS NULL, q.q2_millis) END AS q2_rank,
      CASE WHEN q.q3_millis IS NULL THEN NULL ELSE rank() OVER (PARTITION BY q.race_id ORDER BY q.q3_millis IS NULL, q.q3_millis) END AS q3_rank
    FROM qualifying_results q)`;
  return paged<QualifyingRow>(
    db,
    {
      select: sql`x.race_id, x.number, x.position, x.q1_millis, x.q2_millis, x.q3_millis, ${ENTRANT}`,
      from: sql`FROM ${ranked} x ${JOINS('x')} ${whereAll(conditions)}`,
      order: raceSideFilter
        ? sql`r.season, r.round, (SELECT rr.position_order FROM race_results rr
            WHERE rr.race_id = x.race_id AND rr.driver_id = x.driver_id), x.position`
        : sql`r.season, r.round, LEAST(x.q1_rank, x.q2_rank, x.q3_rank, x.position), x.position`,
    },
    page,
  );
}
