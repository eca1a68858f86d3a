/** Row → DTO mappers for races, results, qualifying and weather. */
import type { LapRow, PitStopRow } from '@f1/db/races/laps';
import type { RaceRow, SessionRow } from '@f1/db/races/races';
import type {
  QualifyingRow,
  RaceHeaderRow,
  RaceResultRow,
  SprintResultRow,
} from '@f1/db/races/results';
import type { WeatherRow } from '@f1/db/races/weather';
import type {
  LapTiming,
  PitStop,
  QualifyingResult,
  Race,
  RaceResult,
  RaceSession,
  SprintResult,
  WeatherObservation,
} from '../schemas/races.ts';
import { toDriverRef, toTeamRef } from './entities.ts';
import { formatDuration, lapTime } from './lap-time.ts';

export function toRace(row: RaceRow, sessions: readonly SessionRow[]): Race {
  return {
    season: row.season,
    round: row.round,
    name: row.name,
    date: row.date,
    startsAt: row.starts_at,
    url: row.url,
    circuit: {
      circuitId: row.circuit_ref,
      name: row.circuit_name,
      locality: row.locality,
      country: row.country,
    },
    sessions: sessions.map(toSession),
  };
}

function toSession(row: SessionRow): RaceSession {
  return { kind: row.kind, date: row.date, startsAt: row.starts_at };
}

export function toRaceHeader(row: RaceHeaderRow) {
  return { season: row.season, round: row.round, raceName: row.race_name, date: row.date };
}

/** The finish fields race and sprint results share. */
export function toFinish(row: SprintResultRow) {
  return {
    position: row.position,
    positionText: row.position_text,
    positionOrder: row.position_order,
    number: row.number,
    grid: row.grid,
    laps: row.laps,
    status: row.status,
    points: row.points,
    time: row.time_text === null ? null : { millis: row.time_millis, text: row.time_text },
  };
}

export function toFastestLap(row: SprintResultRow & Partial<RaceResultRow>) {
  if (row.fastest_lap === null && row.fastest_lap_millis === null) return null;
  return {
    lap: row.fastest_lap,
    rank: row.fastest_lap_rank ?? null,
    time: lapTime(row.fastest_lap_millis),
    speedKph: row.fastest_lap_speed_kph ?? null,
  };
}

export function toRaceResult(row: RaceResultRow): RaceResult {
  return {
    driver: toDriverRef(row),
    team: toTeamRef(row),
    ...toFinish(row),
    fastestLap: toFastestLap(row),
  };
}

export function toSprintResult(row: SprintResultRow): SprintResult {
  return {
    driver: toDriverRef(row),
    team: toTeamRef(row),
    ...toFinish(row),
    fastestLap: toFastestLap(row),
  };
}

export function toQualifyingResult(row: QualifyingRow): QualifyingResult {
  return {
    position: row.position,
    driver: toDriverRef(row),
    team: toTeamRef(row),
    number: row.number,
    q1: lapTime(row.q1_millis),
    q2: lapTime(row.q2_millis),
    q3: lapTime(row.q3_millis),
  };
}

export function toWeather(row: WeatherRow): WeatherObservation {
  return {
    source: row.source,
    observedAt: row.observed_at,
    airTemperatureC: row.air_temperature_c,
    precipitationMm: row.precipitation_mm,
    relativeHumidityPct: row.relative_humidity_pct,
    windSpeedKph: row.wind_speed_kph,
    windDirectionDeg: row.wind_direction_deg,
  };
}

export function toLapTiming(row: LapRow): LapTiming {
  return {
    lap: row.lap,
    position: row.position,
    driverId: row.driver_ref,
    time: lapTime(row.time_millis),
  };
}

export function toPitStop(row: PitStopRow): PitStop {
  return {
    driver: toDriverRef(row),
    stop: row.stop,
    lap: row.lap,
    timeOfDay: row.time_of_day,
    duration:
      row.duration_millis === null
        ? null
        : { millis: row.duration_millis, text: formatDuration(row.duration_millis) },
  };
}
