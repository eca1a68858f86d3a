/** `constructors`: constructors with a race result matching the filters, by id. */
import { ergastConstructors } from '@f1/db/ergast/tables';
import type { EndpointHandler } from '../types.ts';
import { COMMON_FILTERS, echoOf, filterOf, page, requireSupported } from './filters.ts';
import { constructorObject } from './shapes.ts';

export const constructors: EndpointHandler = async (db, request) => {
  requireSupported(request, COMMON_FILTERS);
  const rows = await ergastConstructors(db, filterOf(request));
  return {
    total: rows.length,
    tableName: 'ConstructorTable',
    table: {
      ...echoOf(request),
      Constructors: page(rows, request).map(constructorObject),
    },
  };
};
