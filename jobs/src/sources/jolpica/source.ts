/**
 * The Jolpica-F1 API (Ergast-compatible) as a `Source`: season-wide endpoints (or one round's) through
 * the paced client, parsed payloads grouped into one dataset per round — the race header from whichever
 * payload carries it, the drivers/teams its rows mention, each part's rows (an empty list when the part
 * was read but the source has nothing for that round yet) — and, for a season whose whole schedule was
 * read cleanly, a last dataset with its complete calendar.
 */
import {
  ALL_PARTS,
  type Dataset,
  type Part,
  type RoundFailure,
  type Scope,
  type Source,
  type SourceRead,
} from '../../ingestion/dataset.ts';
import type { JolpicaClient } from './client.ts';
import type {
  RaceWithLaps,
  RaceWithPitStops,
  RaceWithQualifying,
  RaceWithResults,
  RaceWithSprint,
  ScheduledRace,
} from './schemas.ts';
import {
  circuitWrite,
  lapRecords,
  peopleOf,
  pitStopRecords,
  qualifyingRecords,
  raceRecord,
  resultRecords,
  sessionRecords,
  sprintRecords,
} from './to-records.ts';

export interface FetchedSeason {
  schedule?: ScheduledRace[];
  results?: RaceWithResults[];
  sprint?: RaceWithSprint[];
  qualifying?: RaceWithQualifying[];
  laps?: RaceWithLaps[];
  pitStops?: RaceWithPitStops[];
}

/** One dataset per round (rounds in `skipRounds` left out: their data failed to parse). */
export function roundDatasets(
  fetched: FetchedSeason,
  skipRounds: ReadonlySet<number>,
): { scope: Scope; dataset: Dataset }[] {
  const headers = new Map<number, ScheduledRace>();
  for (const race of [
    ...(fetched.laps ?? []),
    ...(fetched.pitStops ?? []),
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
  const laps = byRound(fetched.laps);
  const pitStops = byRound(fetched.pitStops);

  const datasets: { scope: Scope; dataset: Dataset }[] = [];
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
    datasets.push({
      scope: { kind: 'round', season: header.season, round },
      dataset: {
        circuits: [circuitWrite(header.Circuit)],
        ...people,
        races: [raceRecord(header)],
        sessions: fetched.schedule ? sessionRecords(header) : undefined,
        results: fetched.results ? (r ? resultRecords(r) : []) : undefined,
        sprint: fetched.sprint ? (s ? sprintRecords(s) : []) : undefined,
        qualifying: fetched.qualifying ? (q ? qualifyingRecords(q) : []) : undefined,
        laps: fetched.laps ? lapRecords(laps.get(round) ?? emptyLaps(header)) : undefined,
        pitStops: fetched.pitStops
          ? pitStopRecords(pitStops.get(round) ?? emptyStops(header))
          : undefined,
      },
    });
  }
  return datasets;
}

const emptyLaps = (header: ScheduledRace): RaceWithLaps => ({ ...header, Laps: [] });
const emptyStops = (header: ScheduledRace): RaceWithPitStops => ({ ...header, PitStops: [] });

/** Today as `YYYY-MM-DD` (UTC): a race on a later day has no laps to ask for. */
const today = () => new Date().toISOString().slice(0, 10);

export class JolpicaSource implements Source {
  readonly name = 'jolpica';
  constructor(readonly client: JolpicaClient) {}

  async read(request: { scope: Scope; parts?: readonly Part[] }): Promise<SourceRead> {
    const { scope } = request;
    if (scope.kind === 'all') throw new Error('the Jolpica source reads a season or a round');
    const parts = new Set(request.parts ?? ALL_PARTS);
    const round = scope.kind === 'round' ? scope.round : undefined;
    const none = { races: [], failures: [] as RoundFailure[] };
    // Requests in this order: schedule, results, sprint, qualifying.
    const schedule = parts.has('schedule') ? await this.client.schedule(scope.season, round) : none;
    const results = parts.has('results') ? await this.client.results(scope.season, round) : none;
    const sprint = parts.has('sprint') ? await this.client.sprint(scope.season, round) : none;
    const qualifying = parts.has('qualifying')
      ? await this.client.qualifying(scope.season, round)
      : none;
    const timing = await this.timing(scope, parts, { schedule, results });
    const failures = [
      ...schedule.failures,
      ...results.failures,
      ...sprint.failures,
      ...qualifying.failures,
      ...timing.failures,
    ];
    const datasets = roundDatasets(
      {
        schedule: parts.has('schedule') ? schedule.races : undefined,
        results: parts.has('results') ? results.races : undefined,
        sprint: parts.has('sprint') ? sprint.races : undefined,
        qualifying: parts.has('qualifying') ? qualifying.races : undefined,
        laps: parts.has('laps') ? timing.laps : undefined,
        pitStops: parts.has('pitstops') ? timing.pitStops : undefined,
      },
      new Set(failures.map((f) => f.round)),
    );
    // An empty schedule (unknown season, or a bad answer) never deletes a calendar.
    if (scope.kind === 'season' && schedule.races.length > 0 && schedule.failures.length === 0) {
      datasets.push({
        scope,
        dataset: {
          circuits: [],
          teams: [],
          drivers: [],
          races: [],
          calendars: [{ season: scope.season, rounds: schedule.races.map((r) => r.round) }],
        },
      });
    }
    return { datasets, failures };
  }

  /**
   * Laps and pit stops, one round at a time (the source serves them per round only): the round asked
   * for, or a season's rounds that were run — those with results when they were read, else the
   * schedule's rounds up to today (the schedule is read for it when it was not asked for).
   */
  private async timing(
    scope: Extract<Scope, { kind: 'season' | 'round' }>,
    parts: ReadonlySet<Part>,
    read: { schedule: { races: ScheduledRace[] }; results: { races: RaceWithResults[] } },
  ) {
    const out = {
      laps: [] as RaceWithLaps[],
      pitStops: [] as RaceWithPitStops[],
      failures: [] as RoundFailure[],
    };
    if (!parts.has('laps') && !parts.has('pitstops')) return out;
    let rounds: number[];
    if (scope.kind === 'round') rounds = [scope.round];
    else if (parts.has('results')) rounds = read.results.races.map((r) => r.round);
    else {
      const calendar = parts.has('schedule')
        ? read.schedule.races
        : (await this.client.schedule(scope.season)).races;
      rounds = calendar.filter((r) => r.date <= today()).map((r) => r.round);
    }
    for (const round of rounds) {
      if (parts.has('laps')) {
        const laps = await this.client.laps(scope.season, round);
        out.laps.push(...laps.races);
        out.failures.push(...laps.failures);
      }
      if (parts.has('pitstops')) {
        const stops = await this.client.pitStops(scope.season, round);
        out.pitStops.push(...stops.races);
        out.failures.push(...stops.failures);
      }
    }
    return out;
  }
}
