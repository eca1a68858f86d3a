/** `seasons`: the seasons with a race in scope, or with a race result matching the filters. */
import { ergastSeasons } from '@f1/db/ergast/tables';
import type { EndpointHandler } from '../types.ts';
import { COMMON_FILTERS, echoOf, filterOf, page, requireSupported } from './filters.ts';

export const seasons: EndpointHandler = async (db, request) => {
  requireSupported(request, COMMON_FILTERS);
  const rows = await ergastSeasons(db, filterOf(request));
  return {
    total: rows.length,
    tableName: 'SeasonTable',
    table: {
      ...echoOf(request),
      Seasons: page(rows, request).map((r) => ({
        season: String(r.season),
        ...(r.url === null ? {} : { url: r.url }),
      })),
    },
  };
};
