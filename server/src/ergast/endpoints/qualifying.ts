/**
 * `qualifying`: one row per driver and race, paged by row, `Q1`–`Q3` present for the parts the driver
 * set a time in. Grid, position, fastest and status filters speak of the driver's race.
 */
import { type QualifyingRow, qualifyingRows } from '@f1/db/ergast/results';
import type { EndpointHandler } from '../types.ts';
import { COMMON_FILTERS, filterOf, requireSupported } from './filters.ts';
import { raceTable } from './race-table.ts';
import { driverObject, entrantConstructor, lapTime, present } from './shapes.ts';

const part = (millis: number | null) => (millis === null ? undefined : lapTime(millis));

function qualifyingObject(row: QualifyingRow): Record<string, unknown> {
  return present({
    number: row.number === null ? undefined : String(row.number),
    position: String(row.position),
    Driver: driverObject(row),
    Constructor: entrantConstructor(row),
    Q1: part(row.q1_millis),
    Q2: part(row.q2_millis),
    Q3: part(row.q3_millis),
  });
}

export const qualifying: EndpointHandler = async (db, request) => {
  requireSupported(request, [...COMMON_FILTERS, 'qualifyingPosition']);
  const scope = { ...filterOf(request), qualifyingPosition: request.filters.qualifyingPosition };
  const rows = await qualifyingRows(db, scope, request);
  return raceTable(db, request, rows, {
    name: 'QualifyingResults',
    items: (race) => race.sort((a, b) => a.position - b.position).map(qualifyingObject),
  });
};
