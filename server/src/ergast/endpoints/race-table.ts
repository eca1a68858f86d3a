/**
 * The RaceTable answer of the row endpoints (results, sprint, qualifying, laps, pit stops): the page's
 * rows grouped under their race headers, read here, after the echoed filters.
 */
import { type RaceHeader, raceHeaders } from '@f1/db/ergast/races';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import type { ErgastFilters } from '../query.ts';
import type { ErgastRequest, TableAnswer } from '../types.ts';
import { echoOf } from './filters.ts';
import { raceObject } from './shapes.ts';

type Json = Record<string, unknown>;

/**
 * Rows grouped under their race headers in row order (rows of one race are contiguous): the
 * RaceTable's `Races` list with each race's rows under `listName`.
 */
function groupByRace<R extends { race_id: number }>(
  rows: readonly R[],
  headers: Map<number, RaceHeader>,
  listName: string,
  toItems: (rows: R[]) => unknown[],
): Json[] {
  const groups: { raceId: number; rows: R[] }[] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last && last.raceId === row.race_id) last.rows.push(row);
    else groups.push({ raceId: row.race_id, rows: [row] });
  }
  const races: Json[] = [];
  for (const group of groups) {
    const header = headers.get(group.raceId);
    if (header) races.push({ ...raceObject(header), [listName]: toItems(group.rows) });
  }
  return races;
}

/** `page` (its rows and total) as a RaceTable, each race's rows under `list.name`. */
export async function raceTable<R extends { race_id: number }>(
  db: Kysely<DB>,
  request: ErgastRequest,
  page: { total: number; rows: R[] },
  list: { name: string; items: (rows: R[]) => unknown[]; notEchoed?: (keyof ErgastFilters)[] },
): Promise<TableAnswer> {
  const headers = await raceHeaders(
    db,
    page.rows.map((r) => r.race_id),
  );
  const Races = groupByRace(page.rows, headers, list.name, list.items);
  return {
    total: page.total,
    tableName: 'RaceTable',
    table: { ...echoOf(request, list.notEchoed), Races },
  };
}
