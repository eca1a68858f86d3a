/** Weather ingestion's reads (which races, where, when) and its write (one row per race and source). */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import { type SyncResult, type SyncSpec, syncRows } from './sync.ts';

export interface WeatherTarget {
  raceId: number;
  season: number;
  round: number;
  latitude: number;
  longitude: number;
  /** The race start, or noon UTC of race day when the start time is unknown. */
  at: Date;
}

/** A season's races (or one round) that have circuit coordinates. */
export async function weatherTargets(
  db: Kysely<DB>,
  params: { season: number; round?: number },
): Promise<WeatherTarget[]> {
  let query = db
    .selectFrom('races as r')
    .innerJoin('circuits as c', 'c.id', 'r.circuit_id')
    .select(['r.id', 'r.season', 'r.round', 'r.date', 'r.starts_at', 'c.latitude', 'c.longitude'])
    .where('r.season', '=', params.season)
    .where('c.latitude', 'is not', null)
    .where('c.longitude', 'is not', null)
    .orderBy('r.round');
  if (params.round !== undefined) query = query.where('r.round', '=', params.round);
  const rows = await query.execute();
  return rows.map((r) => ({
    raceId: r.id,
    season: r.season,
    round: r.round,
    latitude: r.latitude ?? 0,
    longitude: r.longitude ?? 0,
    at: r.starts_at ? new Date(r.starts_at) : new Date(`${r.date}T12:00:00Z`),
  }));
}

export interface WeatherWrite {
  race_id: number;
  source: string;
  observed_at: string;
  air_temperature_c: number | null;
  precipitation_mm: number | null;
  relative_humidity_pct: number | null;
  wind_speed_kph: number | null;
  wind_direction_deg: number | null;
}

const WEATHER: SyncSpec<WeatherWrite> = {
  table: 'weather_data',
  key: ['race_id', 'source'],
  columns: {
    race_id: 'integer',
    source: 'text',
    observed_at: 'timestamptz',
    air_temperature_c: 'numeric',
    precipitation_mm: 'numeric',
    relative_humidity_pct: 'numeric',
    wind_speed_kph: 'numeric',
    wind_direction_deg: 'smallint',
  },
};

export const upsertWeather = (db: Kysely<DB>, rows: readonly WeatherWrite[]): Promise<SyncResult> =>
  syncRows(db, WEATHER, rows);
