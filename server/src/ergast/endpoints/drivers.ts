/** `drivers`: drivers with a race result matching the filters, by family name (the source's order). */
import { ergastDrivers } from '@f1/db/ergast/tables';
import { referenceTable } from './reference-table.ts';
import { byFamilyName, driverObject } from './shapes.ts';

export const drivers = referenceTable({
  tableName: 'DriverTable',
  listName: 'Drivers',
  read: ergastDrivers,
  order: byFamilyName,
  item: driverObject,
});
