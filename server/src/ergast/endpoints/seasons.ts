/** `seasons`: the seasons with a race in scope, or with a race result matching the filters. */
import { ergastSeasons } from '@f1/db/ergast/tables';
import { referenceTable } from './reference-table.ts';

export const seasons = referenceTable({
  tableName: 'SeasonTable',
  listName: 'Seasons',
  read: ergastSeasons,
  item: (r) => ({ season: String(r.season), ...(r.url === null ? {} : { url: r.url }) }),
});
