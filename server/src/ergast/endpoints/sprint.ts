/**
 * `sprint`: sprint result rows paged by row, grouped under their race headers; `sprint/{n}` (the
 * sprint position) is not echoed, as at the source.
 */
import { sprintResultRows } from '@f1/db/ergast/results';
import type { EndpointHandler } from '../types.ts';
import { COMMON_FILTERS, filterOf, requireSupported } from './filters.ts';
import { raceTable } from './race-table.ts';
import { resultObject } from './results.ts';

export const sprint: EndpointHandler = async (db, request) => {
  requireSupported(request, [...COMMON_FILTERS, 'sprintPosition']);
  const scope = { ...filterOf(request), sprintPosition: request.filters.sprintPosition };
  const rows = await sprintResultRows(db, scope, request);
  return raceTable(db, request, rows, { name: 'SprintResults', items: (r) => r.map(resultObject) });
};
