/**
 * `status`: race results matching the filters counted per status. Ordered as Jolpica orders them
 * (most frequent first, then by text; ergast.com ordered by id); `statusId` is the source's id of the
 * text, empty when the vocabulary (`statuses`) does not know it, as Jolpica prints it.
 */
import { ergastStatuses } from '@f1/db/ergast/tables';
import { referenceTable } from './reference-table.ts';

export const status = referenceTable({
  tableName: 'StatusTable',
  listName: 'Status',
  read: ergastStatuses,
  order: (a, b) => b.count - a.count || (a.status < b.status ? -1 : a.status > b.status ? 1 : 0),
  item: (r) => ({
    statusId: r.status_id === null ? '' : String(r.status_id),
    count: String(r.count),
    status: r.status,
  }),
});
