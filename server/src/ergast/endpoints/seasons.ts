/** `seasons`: the seasons with a race in scope, or with a race result matching the filters. */
import { ergastSeasons } from '@f1/db/ergast/tables';
import type { EndpointHandler } from '../types.ts';
import { assertFilters, echoedFilters, page, RESULT_FILTERS, resultFilter } from './table-echo.ts';

export const seasons: EndpointHandler = async (db, request) => {
  assertFilters(request, RESULT_FILTERS);
  const rows = await ergastSeasons(db, resultFilter(request));
  return {
    total: rows.length,
    tableName: 'SeasonTable',
    table: {
      ...echoedFilters(request),
      Seasons: page(rows, request).map((r) => ({
        season: String(r.season),
        ...(r.url === null ? {} : { url: r.url }),
      })),
    },
  };
};
