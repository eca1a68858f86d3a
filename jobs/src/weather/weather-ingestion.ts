/**
 * Race-day weather into `weather_data` (one row per race and source): for each race of a season (or one
 * round) that has been run and whose circuit has coordinates, the conditions in the hour of the start.
 * Without a configured provider it does nothing and says so in one log line. The races whose weather
 * changed are reported to the data-change pipeline (their cached answers are dropped everywhere).
 */
import type { DataChanges, RaceKey } from '@f1/core/changes/data-changes';
import type { Config } from '@f1/core/config';
import type { Logger } from '@f1/core/logger';
import { addCounts, type SyncCounts, ZERO_COUNTS } from '@f1/db/ingestion/sync';
import { upsertWeather, weatherTargets } from '@f1/db/ingestion/weather';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { SourceHttp } from '../sources/http/http.ts';
import { openMeteo, openWeather, type WeatherProvider } from './providers.ts';

/** The configured provider, or null when `F1_WEATHER_BASE_URL` is unset. */
export function createWeatherProvider(
  config: Config['weather'],
  http?: SourceHttp,
): WeatherProvider | null {
  if (!config.baseUrl) return null;
  const client =
    http ??
    new SourceHttp({
      timeoutMs: 30_000,
      retryAttempts: 3,
      requestsPerSecond: 5,
      hourlyBudget: 5_000,
    });
  return config.apiKey
    ? openWeather(config.baseUrl, config.apiKey, client)
    : openMeteo(config.baseUrl, client);
}

export interface WeatherReport {
  skipped: boolean;
  counts: SyncCounts;
  /** Races with no observation (not run yet, or the provider has none). */
  missing: number[];
  failures: { round: number; message: string }[];
  /** Races whose stored weather changed. */
  changed: RaceKey[];
}

export const WEATHER_SKIPPED_LINE = 'weather skipped: F1_WEATHER_BASE_URL is not set';

export async function ingestWeather(
  deps: {
    db: Kysely<DB>;
    provider: WeatherProvider | null;
    logger: Logger;
    changes: DataChanges;
    now?: Date;
  },
  target: { season: number; round?: number },
): Promise<WeatherReport> {
  const report: WeatherReport = {
    skipped: false,
    counts: { ...ZERO_COUNTS },
    missing: [],
    failures: [],
    changed: [],
  };
  if (!deps.provider) {
    deps.logger.info(WEATHER_SKIPPED_LINE);
    return { ...report, skipped: true };
  }
  const now = deps.now ?? new Date();
  for (const race of await weatherTargets(deps.db, target)) {
    if (race.at > now) continue; // not run yet: the archive has nothing
    try {
      const seen = await deps.provider.observe(race.latitude, race.longitude, race.at);
      if (!seen) {
        report.missing.push(race.round);
        continue;
      }
      const counts = await upsertWeather(deps.db, [
        {
          race_id: race.raceId,
          source: deps.provider.source,
          observed_at: seen.observedAt.toISOString(),
          air_temperature_c: seen.airTemperatureC,
          precipitation_mm: seen.precipitationMm,
          relative_humidity_pct: seen.relativeHumidityPct,
          wind_speed_kph: seen.windSpeedKph,
          wind_direction_deg:
            seen.windDirectionDeg === null ? null : Math.round(seen.windDirectionDeg),
        },
      ]);
      report.counts = addCounts(report.counts, counts);
      if (counts.created + counts.updated + counts.deleted > 0)
        report.changed.push({ season: race.season, round: race.round });
    } catch (error) {
      report.failures.push({
        round: race.round,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  await deps.changes.changed([{ kind: 'weather', races: report.changed }]);
  return report;
}
