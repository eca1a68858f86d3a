/**
 * `results`: race result rows paged by row (a race may split across pages), grouped under
 * their race headers. `Time` only for a classified finisher with a time; `FastestLap` when known.
 */
import { type ResultRow, raceResultRows } from '@f1/db/ergast/results';
import type { EndpointHandler } from '../types.ts';
import { COMMON_FILTERS, filterOf, requireSupported } from './filters.ts';
import { raceTable } from './race-table.ts';
import { driverObject, entrantConstructor, lapTime, present } from './shapes.ts';

function fastestLap(row: ResultRow): Record<string, unknown> | undefined {
  if (row.fastest_lap === null || row.fastest_lap_millis === null) return undefined;
  return present({
    rank: row.fastest_lap_rank === null ? undefined : String(row.fastest_lap_rank),
    lap: String(row.fastest_lap),
    Time: { time: lapTime(row.fastest_lap_millis) },
    AverageSpeed:
      row.fastest_lap_speed_kph === null
        ? undefined
        : { units: 'kph', speed: row.fastest_lap_speed_kph.toFixed(3) },
  });
}

/** One result as the dialect prints it. */
export function resultObject(row: ResultRow): Record<string, unknown> {
  const classified = row.position !== null;
  return present({
    number: row.number === null ? undefined : String(row.number),
    position: String(row.position_order),
    positionText: row.position_text,
    points: String(row.points),
    Driver: driverObject(row),
    Constructor: entrantConstructor(row),
    grid: row.grid === null ? undefined : String(row.grid),
    laps: row.laps === null ? undefined : String(row.laps),
    status: row.status,
    Time:
      classified && row.time_millis !== null && row.time_text !== null
        ? { millis: String(row.time_millis), time: row.time_text }
        : undefined,
    FastestLap: fastestLap(row),
  });
}

export const results: EndpointHandler = async (db, request) => {
  requireSupported(request, COMMON_FILTERS);
  const rows = await raceResultRows(db, filterOf(request), request);
  return raceTable(db, request, rows, { name: 'Results', items: (r) => r.map(resultObject) });
};
