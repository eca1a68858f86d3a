/** Weather observations for a race, one row per source. */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { RaceRef } from './results.ts';

export interface WeatherRow {
  source: string;
  observed_at: Date;
  air_temperature_c: number | null;
  precipitation_mm: number | null;
  relative_humidity_pct: number | null;
  wind_speed_kph: number | null;
  wind_direction_deg: number | null;
}

export function raceWeather(db: Kysely<DB>, race: RaceRef): Promise<WeatherRow[]> {
  return db
    .selectFrom('weather_data as w')
    .innerJoin('races as r', 'r.id', 'w.race_id')
    .select([
      'w.source',
      'w.observed_at',
      'w.air_temperature_c',
      'w.precipitation_mm',
      'w.relative_humidity_pct',
      'w.wind_speed_kph',
      'w.wind_direction_deg',
    ])
    .where('r.season', '=', race.season)
    .where('r.round', '=', race.round)
    .orderBy('w.source')
    .execute();
}
