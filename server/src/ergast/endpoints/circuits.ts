/** `circuits`: circuits of races in scope, or of a race result matching the filters, by id. */
import { ergastCircuits } from '@f1/db/ergast/tables';
import { referenceTable } from './reference-table.ts';
import { circuitObject } from './shapes.ts';

export const circuits = referenceTable({
  tableName: 'CircuitTable',
  listName: 'Circuits',
  read: ergastCircuits,
  item: circuitObject,
});
