/**
 * The Jolpica-F1 API (Ergast-compatible) as a `Source`: season-wide endpoints (or one round's) through
 * the paced client, parsed payloads grouped into one dataset per round — the race header from whichever
 * payload carries it, the drivers/teams its rows mention, each part's rows (an empty list when the part
 * was read but the source has nothing for that round yet) — and, for a season read with its schedule, a
 * last dataset with the season's page (url) and, when the whole schedule was read cleanly, its complete
 * calendar.
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
  RaceWithQualifying,
  RaceWithResults,
  RaceWithSprint,
  ScheduledRace,
} from './schemas.ts';
import {
  circuitWrite,
  peopleOf,
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
}

/** One dataset per round (rounds in `skipRounds` left out: their data failed to parse). */
export function roundDatasets(
  fetched: FetchedSeason,
  skipRounds: ReadonlySet<number>,
): { scope: Scope; dataset: Dataset }[] {
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
      },
    });
  }
  return datasets;
}

export class JolpicaSource implements Source {
  readonly name = 'jolpica';
  constructor(readonly client: JolpicaClient) {}

  async read(request: { scope: Scope; parts?: readonly Part[] }): Promise<SourceRead> {
    const { scope } = request;
    if (scope.kind === 'all') throw new Error('the Jolpica source reads a season or a round');
    const parts = new Set(request.parts ?? ALL_PARTS);
    const round = scope.kind === 'round' ? scope.round : undefined;
    const none = { races: [], failures: [] as RoundFailure[] };
    // Requests in this order: schedule, the season's page (a whole season's schedule only: one
    // request per season run), results, sprint, qualifying.
    const schedule = parts.has('schedule') ? await this.client.schedule(scope.season, round) : none;
    const page =
      scope.kind === 'season' && parts.has('schedule')
        ? await this.client.season(scope.season)
        : null;
    const results = parts.has('results') ? await this.client.results(scope.season, round) : none;
    const sprint = parts.has('sprint') ? await this.client.sprint(scope.season, round) : none;
    const qualifying = parts.has('qualifying')
      ? await this.client.qualifying(scope.season, round)
      : none;
    const failures = [
      ...schedule.failures,
      ...results.failures,
      ...sprint.failures,
      ...qualifying.failures,
    ];
    const datasets = roundDatasets(
      {
        schedule: parts.has('schedule') ? schedule.races : undefined,
        results: parts.has('results') ? results.races : undefined,
        sprint: parts.has('sprint') ? sprint.races : undefined,
        qualifying: parts.has('qualifying') ? qualifying.races : undefined,
      },
      new Set(failures.map((f) => f.round)),
    );
    // An empty schedule (unknown season, or a bad answer) never deletes a calendar.
    const complete =
      scope.kind === 'season' && schedule.races.length > 0 && schedule.failures.length === 0;
    if (scope.kind === 'season' && (complete || page)) {
      datasets.push({
        scope,
        dataset: {
          circuits: [],
          teams: [],
          drivers: [],
          races: [],
          calendars: complete
            ? [{ season: scope.season, rounds: schedule.races.map((r) => r.round) }]
            : undefined,
          seasons: page ? [page] : undefined,
        },
      });
    }
    return { datasets, failures };
  }
}
