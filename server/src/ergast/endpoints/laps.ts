/**
 * `laps` (per race: season and round required): timings paged by timing row, grouped by lap number
 * under the race. `laps/{n}` selects one lap and, as at the source, is not echoed.
 */
import { type LapRow, lapRows } from '@f1/db/ergast/timings';
import type { EndpointHandler } from '../types.ts';
import { COMMON_FILTERS, filterOf, requireRace, requireSupported } from './filters.ts';
import { raceTable } from './race-table.ts';
import { lapTime, present } from './shapes.ts';

function lapsOf(rows: LapRow[]): unknown[] {
  const laps: { number: string; Timings: unknown[] }[] = [];
  for (const row of rows) {
    let lap = laps.at(-1);
    if (!lap || lap.number !== String(row.lap)) {
      lap = { number: String(row.lap), Timings: [] };
      laps.push(lap);
    }
    lap.Timings.push(
      present({
        driverId: row.driver_ref,
        position: row.position === null ? undefined : String(row.position),
        time: row.time_millis === null ? undefined : lapTime(row.time_millis),
      }),
    );
  }
  return laps;
}

export const laps: EndpointHandler = async (db, request) => {
  requireSupported(request, [...COMMON_FILTERS, 'lap']);
  requireRace(request);
  const scope = { ...filterOf(request), lap: request.filters.lap };
  const rows = await lapRows(db, scope, request);
  return raceTable(db, request, rows, { name: 'Laps', items: lapsOf, notEchoed: ['lap'] });
};
