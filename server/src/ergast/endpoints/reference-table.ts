/**
 * The reference-table endpoints' one shape (seasons, drivers, constructors, circuits, status): the
 * race-result filters only, every matching row read (a few hundred at most), ordered here in the
 * source's order, then paged and printed after the echoed filters.
 */
import type { ErgastFilter } from '@f1/db/ergast/filter';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import type { EndpointHandler, TableName } from '../types.ts';
import { COMMON_FILTERS, echoOf, filterOf, page, requireSupported } from './filters.ts';

export function referenceTable<R>(table: {
  tableName: TableName;
  listName: string;
  read: (db: Kysely<DB>, filter: ErgastFilter) => Promise<R[]>;
  /** The source's order, when the query's is not it. */
  order?: (a: R, b: R) => number;
  item: (row: R) => unknown;
}): EndpointHandler {
  return async (db, request) => {
    requireSupported(request, COMMON_FILTERS);
    const rows = await table.read(db, filterOf(request));
    if (table.order) rows.sort(table.order);
    return {
      total: rows.length,
      tableName: table.tableName,
      table: { ...echoOf(request), [table.listName]: page(rows, request).map(table.item) },
    };
  };
}
