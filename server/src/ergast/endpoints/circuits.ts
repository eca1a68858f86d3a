/** `circuits`: circuits of races in scope, or of a race result matching the filters, by id. */
import { ergastCircuits } from '@f1/db/ergast/tables';
import type { EndpointHandler } from '../types.ts';
import { circuitShape } from './entity-shapes.ts';
import { assertFilters, echoedFilters, page, RESULT_FILTERS, resultFilter } from './table-echo.ts';

export const circuits: EndpointHandler = async (db, request) => {
  assertFilters(request, RESULT_FILTERS);
  const rows = await ergastCircuits(db, resultFilter(request));
  return {
    total: rows.length,
    tableName: 'CircuitTable',
    table: { ...echoedFilters(request), Circuits: page(rows, request).map(circuitShape) },
  };
};
