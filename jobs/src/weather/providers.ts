/**
 * Weather providers for race-day conditions.
 *
 * Default: **Open-Meteo's historical archive** (`https://archive-api.open-meteo.com/v1`): it needs no
 * key, covers every date since 1940 (ERA5 reanalysis) so the whole history can be backfilled, and
 * answers hourly values at any coordinates. OpenWeather (the brief's provider) is used when an API key
 * is configured: its One Call 3.0 "timemachine" endpoint (`https://api.openweathermap.org/data/3.0`)
 * needs a subscription and only covers 1979 on. Selection: `F1_WEATHER_API_KEY` set → OpenWeather at
 * `F1_WEATHER_BASE_URL`; otherwise Open-Meteo at `F1_WEATHER_BASE_URL`. Unset base URL → no weather.
 */
import { z } from 'zod';
import { SourceError } from '../sources/http/errors.ts';
import type { SourceHttp } from '../sources/http/http.ts';
import { describeIssue } from '../sources/jolpica/schemas.ts';

export interface WeatherObservation {
  observedAt: Date;
  airTemperatureC: number | null;
  precipitationMm: number | null;
  relativeHumidityPct: number | null;
  windSpeedKph: number | null;
  windDirectionDeg: number | null;
}

export interface WeatherProvider {
  /** Stored in `weather_data.source`. */
  readonly source: string;
  /** Conditions in the hour of `at` at the coordinates, or null when the provider has none. */
  observe(latitude: number, longitude: number, at: Date): Promise<WeatherObservation | null>;
}

const nullableNumbers = z.array(z.number().nullable());
const OpenMeteoArchive = z.object({
  hourly: z.object({
    time: z.array(z.string()),
    temperature_2m: nullableNumbers,
    precipitation: nullableNumbers,
    relative_humidity_2m: nullableNumbers,
    wind_speed_10m: nullableNumbers,
    wind_direction_10m: nullableNumbers,
  }),
});

function parse<S extends z.ZodType>(schema: S, body: unknown, url: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new SourceError('schema', url, describeIssue(parsed.error));
  return parsed.data;
}

const hourOf = (at: Date) => at.toISOString().slice(0, 13); // YYYY-MM-DDTHH

export function openMeteo(baseUrl: string, http: SourceHttp): WeatherProvider {
  return {
    source: 'open-meteo',
    async observe(latitude, longitude, at) {
      const day = at.toISOString().slice(0, 10);
      const query = new URLSearchParams({
        latitude: latitude.toFixed(4),
        longitude: longitude.toFixed(4),
        start_date: day,
        end_date: day,
        hourly:
          'temperature_2m,precipitation,relative_humidity_2m,wind_speed_10m,wind_direction_10m',
        timezone: 'UTC',
        wind_speed_unit: 'kmh',
      });
      const url = `${baseUrl}/archive?${query}`;
      const { hourly } = parse(OpenMeteoArchive, await http.getJson(url), url);
      const index = hourly.time.findIndex((t) => t.startsWith(hourOf(at)));
      if (index < 0) return null;
      return {
        observedAt: new Date(`${hourly.time[index]}Z`), // `2024-03-02T15:00`, UTC as asked
        airTemperatureC: hourly.temperature_2m[index] ?? null,
        precipitationMm: hourly.precipitation[index] ?? null,
        relativeHumidityPct: hourly.relative_humidity_2m[index] ?? null,
        windSpeedKph: hourly.wind_speed_10m[index] ?? null,
        windDirectionDeg: hourly.wind_direction_10m[index] ?? null,
      };
    },
  };
}

const OpenWeatherTimemachine = z.object({
  data: z.array(
    z.object({
      dt: z.number(),
      temp: z.number().optional(),
      humidity: z.number().optional(),
      wind_speed: z.number().optional(),
      wind_deg: z.number().optional(),
      rain: z.object({ '1h': z.number() }).partial().optional(),
      snow: z.object({ '1h': z.number() }).partial().optional(),
    }),
  ),
});

export function openWeather(baseUrl: string, apiKey: string, http: SourceHttp): WeatherProvider {
  return {
    source: 'openweather',
    async observe(latitude, longitude, at) {
      const hour = Math.floor(at.getTime() / 3_600_000) * 3600;
      const query = new URLSearchParams({
        lat: String(latitude),
        lon: String(longitude),
        dt: String(hour),
        units: 'metric',
      });
      const url = `${baseUrl}/onecall/timemachine?${query}`;
      // The key travels in the request only; errors and logs name the URL without it.
      const body = await http
        .getJson(`${url}&appid=${encodeURIComponent(apiKey)}`)
        .catch((error: unknown) => {
          throw error instanceof SourceError
            ? new SourceError(error.code, url, error.message.replace(/^GET \S+ failed: /, ''), {
                cause: error,
              })
            : error;
        });
      const [point] = parse(OpenWeatherTimemachine, body, url).data;
      if (!point) return null;
      const precipitation = (point.rain?.['1h'] ?? 0) + (point.snow?.['1h'] ?? 0);
      return {
        observedAt: new Date(point.dt * 1000),
        airTemperatureC: point.temp ?? null,
        precipitationMm: precipitation,
        relativeHumidityPct: point.humidity ?? null,
        windSpeedKph:
          point.wind_speed === undefined ? null : Math.round(point.wind_speed * 36) / 10,
        windDirectionDeg: point.wind_deg ?? null,
      };
    },
  };
}
