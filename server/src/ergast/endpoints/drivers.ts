/** `drivers`: drivers with a race result matching the filters, by family name (the source's order). */
import { ergastDrivers } from '@f1/db/ergast/tables';
import type { EndpointHandler } from '../types.ts';
import { COMMON_FILTERS, echoOf, filterOf, page, requireSupported } from './filters.ts';
import { byFamilyName, driverObject } from './shapes.ts';

export const drivers: EndpointHandler = async (db, request) => {
  requireSupported(request, COMMON_FILTERS);
  const rows = (await ergastDrivers(db, filterOf(request))).sort(byFamilyName);
  return {
    total: rows.length,
    tableName: 'DriverTable',
    table: { ...echoOf(request), Drivers: page(rows, request).map(driverObject) },
  };
};
