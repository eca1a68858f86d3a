/** `weather <year> [--round <n>]`: race-day weather from the configured provider (skipped when none). */
import {
  createWeatherProvider,
  ingestWeather,
  WEATHER_SKIPPED_LINE,
  weatherHttp,
} from '../weather/weather-ingestion.ts';
import { type Command, checkSeason, seasonArgument, type Verb } from './invocation.ts';

export const weatherCommand: Command = async (context, invocation, progress) => {
  const season = seasonArgument(invocation);
  const started = performance.now();
  const http = weatherHttp();
  const provider = createWeatherProvider(context.config.weather, http);
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
      requests: http.stats.requests,
      throttled: http.stats.throttled,
      retries: http.stats.retries,
      elapsedMs: performance.now() - started,
      failures: report.failures.map((f) => `${season} round ${f.round}: ${f.message}`),
    },
  };
};

export const weatherVerb: Verb = {
  name: 'weather',
  synopsis: '<year> [--round <n>]',
  summary: 'race-day weather (F1_WEATHER_BASE_URL; skipped when unset)',
  details: '<year>       a season from 1950 to next year\n--round <n>  one round only (-r)',
  options: ['round'],
  check: checkSeason,
  run: weatherCommand,
};
