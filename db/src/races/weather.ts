/** Weather observations for a race, one row per source. */
import type { Kysely } from 'kysely';
import type { DB, Unqualified, WeatherObservation } from '../schema.ts';
import type { RaceRef } from './results.ts';

const WEATHER_COLUMNS = [
  'w.source',
  'w.observed_at',
  'w.air_temperature_c',
  'w.precipitation_mm',
  'w.relative_humidity_pct',
  'w.wind_speed_kph',
  'w.wind_direction_deg',
] as const;

export type WeatherRow = Pick<WeatherObservation, Unqualified<(typeof WEATHER_COLUMNS)[number]>>;

export function raceWeather(db: Kysely<DB>, race: RaceRef): Promise<WeatherRow[]> {
  return db
    .selectFrom('weather_data as w')
    .innerJoin('races as r', 'r.id', 'w.race_id')
    .select(WEATHER_COLUMNS)
    .where('r.season', '=', race.season)
    .where('r.round', '=', race.round)
    .orderBy('w.source')
    .execute();
}
