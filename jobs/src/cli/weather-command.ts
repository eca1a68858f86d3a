/** `weather <year> [--round <n>]`: race-day weather from the configured provider (skipped when none). */
import {
  createWeatherProvider,
  ingestWeather,
  WEATHER_SKIPPED_LINE,
} from '../weather/weather-ingestion.ts';
import { type Command, seasonArgument } from './invocation.ts';

export const weatherCommand: Command = async (context, invocation, progress) => {
  const season = seasonArgument(invocation);
  const started = performance.now();
  const provider = createWeatherProvider(context.config.weather);
  const report = await ingestWeather(
    { db: context.db, provider, logger: context.logger, changes: context.changes },
    { season, round: invocation.round },
  );
  if (report.skipped) progress.log(WEATHER_SKIPPED_LINE);
  else if (report.missing.length)
    progress.log(`no observation for round(s) ${report.missing.join(', ')}`);
  return {
    ok: report.failures.length === 0,
    target: { kind: 'weather', season, round: invocation.round },
    summary: {
      ...report.counts,
      tables: { weather_data: report.counts },
      requests: 0,
      throttled: 0,
      retries: 0,
      elapsedMs: performance.now() - started,
      failures: report.failures.map((f) => `${season} round ${f.round}: ${f.message}`),
    },
  };
};
