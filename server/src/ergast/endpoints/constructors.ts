/** `constructors`: constructors with a race result matching the filters, by id. */
import { ergastConstructors } from '@f1/db/ergast/tables';
import { referenceTable } from './reference-table.ts';
import { constructorObject } from './shapes.ts';

export const constructors = referenceTable({
  tableName: 'ConstructorTable',
  listName: 'Constructors',
  read: ergastConstructors,
  item: constructorObject,
});
