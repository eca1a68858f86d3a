/** `circuits`: circuits of races in scope, or of a race result matching the filters, by id. */
import { ergastCircuits } from '@f1/db/ergast/tables';
import type { EndpointHandler } from '../types.ts';
import { COMMON_FILTERS, echoOf, filterOf, page, requireSupported } from './filters.ts';
import { circuitObject } from './shapes.ts';

export const circuits: EndpointHandler = async (db, request) => {
  requireSupported(request, COMMON_FILTERS);
  const rows = await ergastCircuits(db, filterOf(request));
  return {
    total: rows.length,
    tableName: 'CircuitTable',
    table: { ...echoOf(request), Circuits: page(rows, request).map(circuitObject) },
  };
};
