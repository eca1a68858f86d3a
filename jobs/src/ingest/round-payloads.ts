/**
 * Groups parsed season- or round-wide payloads into one `RoundPayload` per round: the race header from
 * whichever payload carries it, the drivers/teams all its rows mention, and each fetched dataset's rows
 * (an empty list when the dataset was fetched but the source has nothing for that round yet).
 */
import type {
  RaceWithQualifying,
  RaceWithResults,
  RaceWithSprint,
  ScheduledRace,
} from '../source/schemas.ts';
import {
  circuitWrite,
  peopleOf,
  qualifyingRecords,
  raceRecord,
  resultRecords,
  sessionRecords,
  sprintRecords,
} from './from-source.ts';
import type { RoundPayload } from './write-round.ts';

export interface FetchedSeason {
  schedule?: ScheduledRace[];
  results?: RaceWithResults[];
  sprint?: RaceWithSprint[];
  qualifying?: RaceWithQualifying[];
}

export function roundPayloads(
  fetched: FetchedSeason,
  skipRounds: ReadonlySet<number>,
): RoundPayload[] {
  const headers = new Map<number, ScheduledRace>();
  for (const race of [
    ...(fetched.qualifying ?? []),
    ...(fetched.sprint ?? []),
    ...(fetched.results ?? []),
    ...(fetched.schedule ?? []),
  ]) {
    headers.set(race.round, race); // the schedule, listed last, wins: it carries the sessions
  }
  const byRound = <T extends { round: number }>(races: T[] | undefined) =>
    new Map((races ?? []).map((r) => [r.round, r]));
  const results = byRound(fetched.results);
  const sprint = byRound(fetched.sprint);
  const qualifying = byRound(fetched.qualifying);

  const payloads: RoundPayload[] = [];
  for (const [round, header] of [...headers].sort((a, b) => a[0] - b[0])) {
    if (skipRounds.has(round)) continue;
    const r = results.get(round);
    const s = sprint.get(round);
    const q = qualifying.get(round);
    const people = peopleOf([
      ...(q?.QualifyingResults ?? []),
      ...(s?.SprintResults ?? []),
      ...(r?.Results ?? []),
    ]);
    payloads.push({
      season: header.season,
      round,
      race: raceRecord(header),
      circuit: circuitWrite(header.Circuit),
      ...people,
      sessions: fetched.schedule ? sessionRecords(header) : undefined,
      results: fetched.results ? (r ? resultRecords(r) : []) : undefined,
      sprint: fetched.sprint ? (s ? sprintRecords(s) : []) : undefined,
      qualifying: fetched.qualifying ? (q ? qualifyingRecords(q) : []) : undefined,
    });
  }
  return payloads;
}
