/**
 * `status`: race results matching the filters counted per status. Ordered as Jolpica orders them
 * (most frequent first, then by text; ergast.com ordered by id); `statusId` is the source's id of the
 * text, empty when the vocabulary (`statuses`) does not know it, as Jolpica prints it.
 */
import { ergastStatuses } from '@f1/db/ergast/tables';
import type { EndpointHandler } from '../types.ts';
import { COMMON_FILTERS, echoOf, filterOf, page, requireSupported } from './filters.ts';

export const status: EndpointHandler = async (db, request) => {
  requireSupported(request, COMMON_FILTERS);
  const rows = (await ergastStatuses(db, filterOf(request))).sort(
    (a, b) => b.count - a.count || (a.status < b.status ? -1 : a.status > b.status ? 1 : 0),
  );
  return {
    total: rows.length,
    tableName: 'StatusTable',
    table: {
      ...echoOf(request),
      Status: page(rows, request).map((r) => ({
        statusId: r.status_id === null ? '' : String(r.status_id),
        count: String(r.count),
        status: r.status,
      })),
    },
  };
};
