/**
 * Parsed API payloads → the source-neutral records of a dataset (the same records the CSV export
 * gives, so both sources agree row for row). The source's `position` is the classification order
 * (always present); our `position` is the classified position, null when `positionText` is R, D, W, …
 */
import type { CircuitWrite, DriverWrite, TeamWrite } from '@f1/db/ingestion/writes';
import type { SessionKind } from '@f1/db/schema';
import {
  type LapRecord,
  numberEntries,
  type PitStopRecord,
  type QualifyingRecord,
  type RaceRecord,
  type ResultRecord,
  type SessionRecord,
  type SprintRecord,
} from '../../ingestion/dataset.ts';
import type {
  RaceWithLaps,
  RaceWithPitStops,
  RaceWithQualifying,
  RaceWithResults,
  RaceWithSprint,
  ScheduledRace,
  SourceCircuit,
  SourceConstructor,
  SourceDriver,
} from './schemas.ts';

const instant = (date: string, time: string | undefined) => (time ? `${date}T${time}Z` : null);

export function circuitWrite(c: SourceCircuit): CircuitWrite {
  return {
    circuit_ref: c.circuitId,
    name: c.circuitName,
    locality: c.Location?.locality ?? null,
    country: c.Location?.country ?? null,
    latitude: c.Location?.lat ?? null,
    longitude: c.Location?.long ?? null,
    url: c.url ?? null,
  };
}

export function driverWrite(d: SourceDriver): DriverWrite {
  return {
    driver_ref: d.driverId,
    permanent_number: d.permanentNumber ?? null,
    code: d.code ?? null,
    given_name: d.givenName,
    family_name: d.familyName,
    date_of_birth: d.dateOfBirth ?? null,
    nationality: d.nationality ?? null,
    url: d.url ?? null,
  };
}

export function teamWrite(c: SourceConstructor): TeamWrite {
  return {
    team_ref: c.constructorId,
    name: c.name,
    nationality: c.nationality ?? null,
    url: c.url ?? null,
  };
}

export function raceRecord(race: ScheduledRace): RaceRecord {
  return {
    season: race.season,
    round: race.round,
    circuitRef: race.Circuit.circuitId,
    name: race.raceName,
    date: race.date,
    starts_at: instant(race.date, race.time),
    url: race.url ?? null,
  };
}

const SESSIONS: [keyof ScheduledRace, SessionKind][] = [
  ['FirstPractice', 'fp1'],
  ['SecondPractice', 'fp2'],
  ['ThirdPractice', 'fp3'],
  ['Qualifying', 'qualifying'],
  ['Sprint', 'sprint'],
  ['SprintQualifying', 'sprint_qualifying'],
  ['SprintShootout', 'sprint_qualifying'],
];

export function sessionRecords(race: ScheduledRace): SessionRecord[] {
  const out = new Map<SessionKind, SessionRecord>();
  for (const [key, kind] of SESSIONS) {
    const session = race[key] as { date: string; time?: string } | undefined;
    if (session && !out.has(kind)) {
      out.set(kind, {
        season: race.season,
        round: race.round,
        kind,
        date: session.date,
        starts_at: instant(session.date, session.time),
      });
    }
  }
  return [...out.values()];
}

const classified = (positionText: string, position: number) =>
  /^\d+$/.test(positionText) ? position : null;

type SourceResult = RaceWithResults['Results'][number] | RaceWithSprint['SprintResults'][number];

function common(race: ScheduledRace, r: SourceResult) {
  return {
    season: race.season,
    round: race.round,
    driverRef: r.Driver.driverId,
    teamRef: r.Constructor?.constructorId ?? null,
    number: r.number ?? null,
    grid: r.grid ?? null,
    position: classified(r.positionText, r.position),
    position_order: r.position,
    position_text: r.positionText,
    points: r.points,
    laps: r.laps ?? null,
    time_millis: r.Time?.millis ?? null,
    time_text: r.Time?.time ?? null,
    fastest_lap: r.FastestLap?.lap ?? null,
    fastest_lap_millis: r.FastestLap?.Time?.time ?? null,
    status: r.status ?? null,
  };
}

export function resultRecords(race: RaceWithResults): ResultRecord[] {
  return numberEntries(
    race.Results.map((r) => ({
      ...common(race, r),
      entry: 1,
      fastest_lap_rank: r.FastestLap?.rank ?? null,
      fastest_lap_speed_kph: r.FastestLap?.AverageSpeed?.speed ?? null,
    })),
  );
}

export function sprintRecords(race: RaceWithSprint): SprintRecord[] {
  return race.SprintResults.map((r) => common(race, r));
}

export function qualifyingRecords(race: RaceWithQualifying): QualifyingRecord[] {
  return race.QualifyingResults.map((q) => ({
    season: race.season,
    round: race.round,
    driverRef: q.Driver.driverId,
    teamRef: q.Constructor?.constructorId ?? null,
    number: q.number ?? null,
    position: q.position,
    q1_millis: q.Q1 ?? null,
    q2_millis: q.Q2 ?? null,
    q3_millis: q.Q3 ?? null,
  }));
}

export function lapRecords(race: RaceWithLaps): LapRecord[] {
  return race.Laps.flatMap((lap) =>
    lap.Timings.map((t) => ({
      season: race.season,
      round: race.round,
      driverRef: t.driverId,
      lap: lap.number,
      position: t.position ?? null,
      time_millis: t.time ?? null,
    })),
  );
}

export function pitStopRecords(race: RaceWithPitStops): PitStopRecord[] {
  return race.PitStops.map((p) => ({
    season: race.season,
    round: race.round,
    driverRef: p.driverId,
    stop: p.stop,
    lap: p.lap,
    time_of_day: p.time,
    duration_millis: p.duration ?? null,
  }));
}

/** The drivers and teams a payload's rows mention (last mention wins). */
export function peopleOf(rows: { Driver: SourceDriver; Constructor?: SourceConstructor }[]) {
  const drivers = new Map<string, DriverWrite>();
  const teams = new Map<string, TeamWrite>();
  for (const row of rows) {
    drivers.set(row.Driver.driverId, driverWrite(row.Driver));
    if (row.Constructor) teams.set(row.Constructor.constructorId, teamWrite(row.Constructor));
  }
  return { drivers: [...drivers.values()], teams: [...teams.values()] };
}
