/** `constructors`: constructors with a race result matching the filters, by id. */
import { ergastConstructors } from '@f1/db/ergast/tables';
import type { EndpointHandler } from '../types.ts';
import { constructorShape } from './entity-shapes.ts';
import { assertFilters, echoedFilters, page, RESULT_FILTERS, resultFilter } from './table-echo.ts';

export const constructors: EndpointHandler = async (db, request) => {
  assertFilters(request, RESULT_FILTERS);
  const rows = await ergastConstructors(db, resultFilter(request));
  return {
    total: rows.length,
    tableName: 'ConstructorTable',
    table: {
      ...echoedFilters(request),
      Constructors: page(rows, request).map(constructorShape),
    },
  };
};
