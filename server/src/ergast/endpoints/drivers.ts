/** `drivers`: drivers with a race result matching the filters, by family name (the source's order). */
import { ergastDrivers } from '@f1/db/ergast/tables';
import type { EndpointHandler } from '../types.ts';
import { byFamilyName, driverShape } from './entity-shapes.ts';
import { assertFilters, echoedFilters, page, RESULT_FILTERS, resultFilter } from './table-echo.ts';

export const drivers: EndpointHandler = async (db, request) => {
  assertFilters(request, RESULT_FILTERS);
  const rows = (await ergastDrivers(db, resultFilter(request))).sort(byFamilyName);
  return {
    total: rows.length,
    tableName: 'DriverTable',
    table: { ...echoedFilters(request), Drivers: page(rows, request).map(driverShape) },
  };
};
