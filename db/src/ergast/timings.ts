/**
 * The facade's lap timings and pit stops of one race (the dialect requires season and round), filtered
 * by driver, lap and stop, paged by timing / stop row.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';
import type { Paging } from './races.ts';
import { type ErgastScope, scopeConditions, whereAll } from './scope.ts';

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

type TimingScope = ErgastScope & { lap?: number; stop?: number };

async function countAndPage<R>(
  db: Kysely<DB>,
  select: ReturnType<typeof sql>,
  from: ReturnType<typeof sql>,
  order: ReturnType<typeof sql>,
  page: Paging,
): Promise<{ total: number; rows: R[] }> {
  const count = await sql<{ total: number }>`SELECT count(*)::int AS total ${from}`.execute(db);
  const total = count.rows[0]?.total ?? 0;
  if (total === 0 || page.offset >= total) return { total, rows: [] };
  const { rows } = await sql<R>`
    SELECT ${select} ${from} ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}
  `.execute(db);
  return { total, rows };
}

/** The scope's conditions on a timing table `x` (result filters: the driver's race result). */
function timingConditions(scope: TimingScope) {
  const { lap, stop, grid, position, fastest, statusId, ...rest } = scope;
  const conditions = scopeConditions(rest, { race: 'r', circuit: 'c', driver: 'd' });
  if (lap !== undefined) conditions.push(sql`x.lap = ${lap}`);
  if (stop !== undefined) conditions.push(sql`x.stop = ${stop}`);
  const onRace = scopeConditions(
    { grid, position, fastest, statusId },
    { race: 'r', result: 'rr' },
  );
  if (onRace.length)
    conditions.push(
      sql`EXISTS (SELECT 1 FROM race_results rr WHERE rr.race_id = x.race_id AND rr.driver_id = x.driver_id AND ${sql.join(onRace, sql` AND `)})`,
    );
  return conditions;
}

const JOINS = sql`JOIN races r ON r.id = x.race_id JOIN circuits c ON c.id = r.circuit_id
  JOIN drivers d ON d.id = x.driver_id`;

/** Lap timings in lap order, then position. */
export function lapRows(db: Kysely<DB>, scope: TimingScope, page: Paging) {
  return countAndPage<LapRow>(
    db,
    sql`x.race_id, x.lap, d.driver_ref, x.position, x.time_millis`,
    sql`FROM lap_times x ${JOINS} ${whereAll(timingConditions({ ...scope, stop: undefined }))}`,
    sql`r.season, r.round, x.lap, x.position NULLS LAST, d.driver_ref`,
    page,
  );
}

/** Pit stops in the order they happened (time of day), as the source lists them. */
export function pitStopRows(db: Kysely<DB>, scope: TimingScope, page: Paging) {
  return countAndPage<PitStopRow>(
    db,
    sql`x.race_id, d.driver_ref, x.lap, x.stop, x.time_of_day, x.duration_millis`,
    sql`FROM pit_stops x ${JOINS} ${whereAll(timingConditions(scope))}`,
    sql`r.season, r.round, x.time_of_day::time, x.stop, d.driver_ref`,
    page,
  );
}
