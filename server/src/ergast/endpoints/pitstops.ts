/**
 * `pitstops` (per race: season and round required): stops in the order they happened, paged by stop.
 * `laps/{n}` and `pitstops/{n}` filter by lap and stop number, both echoed.
 */
import { type PitStopRow, pitStopRows } from '@f1/db/ergast/timings';
import type { EndpointHandler } from '../types.ts';
import { COMMON_FILTERS, filterOf, requireRace, requireSupported } from './filters.ts';
import { raceTable } from './race-table.ts';
import { lapTime, present } from './shapes.ts';

function stopObject(row: PitStopRow): Record<string, unknown> {
  return present({
    driverId: row.driver_ref,
    lap: String(row.lap),
    stop: String(row.stop),
    time: row.time_of_day,
    duration: row.duration_millis === null ? undefined : lapTime(row.duration_millis),
  });
}

export const pitstops: EndpointHandler = async (db, request) => {
  requireSupported(request, [...COMMON_FILTERS, 'lap', 'stop']);
  requireRace(request);
  const scope = { ...filterOf(request), lap: request.filters.lap, stop: request.filters.stop };
  const rows = await pitStopRows(db, scope, request);
  return raceTable(db, request, rows, { name: 'PitStops', items: (r) => r.map(stopObject) });
};
