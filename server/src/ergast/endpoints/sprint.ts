/**
 * `sprint`: sprint result rows paged by row, grouped under their race headers; `sprint/{n}` (the
 * sprint position) is not echoed, as at the source.
 */
import { raceHeaders } from '@f1/db/ergast/races';
import { sprintResultRows } from '@f1/db/ergast/results';
import type { EndpointHandler } from '../types.ts';
import { COMMON_FILTERS, echoOf, filterOf, requireSupported } from './filters.ts';
import { resultObject } from './results.ts';
import { groupByRace } from './shapes.ts';

export const sprint: EndpointHandler = async (db, request) => {
  requireSupported(request, [...COMMON_FILTERS, 'sprintPosition']);
  const scope = { ...filterOf(request), sprintPosition: request.filters.sprintPosition };
  const { total, rows } = await sprintResultRows(db, scope, request);
  const headers = await raceHeaders(
    db,
    rows.map((r) => r.race_id),
  );
  const Races = groupByRace(rows, headers, 'SprintResults', (group) => group.map(resultObject));
  return { total, tableName: 'RaceTable', table: { ...echoOf(request), Races } };
};
