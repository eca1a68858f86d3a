/**
 * The typed client for the Ergast-compatible API (Jolpica-F1).
 *
 * Season-wide endpoints are preferred to per-round loops (a season of results is ~5 requests, not 24).
 * Paging follows the source's rules: we ask for `limit=100`, then trust `MRData.limit` (the source
 * clamps it) and `MRData.total`; `limit`/`offset` count the innermost rows (result rows, not races), so
 * a race split across two pages is merged by (season, round) — never duplicated, never truncated.
 *
 * Payloads are checked race by race: a race that violates the schema becomes a `RoundFailure` naming
 * the field and the URL(s) it came from, and the other races are still returned.
 */
import type { z } from 'zod';
import type { RoundFailure } from '../../ingestion/dataset.ts';
import { SourceError } from '../http/errors.ts';
import type { SourceHttp } from '../http/http.ts';
import {
  describeIssue,
  Envelope,
  Int,
  RaceWithLaps,
  RaceWithPitStops,
  RaceWithQualifying,
  RaceWithResults,
  RaceWithSprint,
  ScheduledRace,
  StandingsList,
} from './schemas.ts';

/** The largest page the source serves (it clamps larger limits to this). */
export const PAGE_LIMIT = 100;

export interface RaceTableResult<T> {
  races: T[];
  failures: RoundFailure[];
  /** Requests this fetch made (pages; retries are counted by the HTTP layer). */
  pages: number;
}

type InnerKey = 'Results' | 'SprintResults' | 'QualifyingResults' | 'PitStops' | 'Laps';

interface Accumulated {
  header: Record<string, unknown>;
  rows: unknown[];
  seen: Set<string>;
  urls: Set<string>;
}

const RaceKey = Int;

function asRecord(value: unknown, url: string, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SourceError('schema', url, `${where}: expected an object`);
  }
  return value as Record<string, unknown>;
}

export class JolpicaClient {
  constructor(
    private readonly http: SourceHttp,
    private readonly baseUrl: string,
  ) {}

  get stats() {
    return this.http.stats;
  }

  url(path: string, offset: number): string {
    return `${this.baseUrl}/${path}.json?limit=${PAGE_LIMIT}&offset=${offset}`;
  }

  /** The season's calendar (`/{season}.json`), or one round's entry. */
  schedule(season: number, round?: number) {
    return this.raceTable(scope(season, round, ''), ScheduledRace, null);
  }

  results(season: number, round?: number) {
    return this.raceTable(scope(season, round, 'results'), RaceWithResults, 'Results');
  }

  sprint(season: number, round?: number) {
    return this.raceTable(scope(season, round, 'sprint'), RaceWithSprint, 'SprintResults');
  }

  qualifying(season: number, round?: number) {
    return this.raceTable(
      scope(season, round, 'qualifying'),
      RaceWithQualifying,
      'QualifyingResults',
    );
  }

  /**
   * One round's lap timings (`/{season}/{round}/laps`; the source refuses a season-wide read). Paging
   * counts timings, so a lap split across pages is merged by its number: ceil(timings / 100) requests.
   */
  laps(season: number, round: number) {
    return this.raceTable(scope(season, round, 'laps'), RaceWithLaps, 'Laps');
  }

  /** One round's pit stops (`/{season}/{round}/pitstops`, season-wide is refused too). */
  pitStops(season: number, round: number) {
    return this.raceTable(scope(season, round, 'pitstops'), RaceWithPitStops, 'PitStops');
  }

  /** Official driver standings after `round` (default: the latest); empty when there are none. */
  async driverStandings(season: number, round?: number) {
    const lists = await this.standingsLists(scope(season, round, 'driverstandings'));
    return { round: lists[0]?.round ?? null, rows: lists.flatMap((l) => l.DriverStandings ?? []) };
  }

  async constructorStandings(season: number, round?: number) {
    const lists = await this.standingsLists(scope(season, round, 'constructorstandings'));
    return {
      round: lists[0]?.round ?? null,
      rows: lists.flatMap((l) => l.ConstructorStandings ?? []),
    };
  }

  private async page(path: string, offset: number) {
    const url = this.url(path, offset);
    const parsed = Envelope.safeParse(await this.http.getJson(url));
    if (!parsed.success) throw new SourceError('schema', url, describeIssue(parsed.error));
    return { url, data: parsed.data.MRData };
  }

  private async raceTable<S extends z.ZodType>(
    path: string,
    schema: S,
    inner: InnerKey | null,
  ): Promise<RaceTableResult<z.infer<S>>> {
    const byRound = new Map<number, Accumulated>();
    let offset = 0;
    let pages = 0;
    let rowsSeen = 0;
    let total = 0;
    for (;;) {
      const { url, data } = await this.page(path, offset);
      pages++;
      total = data.total;
      const races = data.RaceTable?.Races ?? [];
      races.forEach((raw, index) => {
        const race = asRecord(raw, url, `Races[${index}]`);
        const round = RaceKey.safeParse(race.round);
        if (!round.success)
          throw new SourceError('schema', url, describeIssue(round.error, `Races[${index}].round`));
        const acc = byRound.get(round.data) ?? {
          header: race,
          rows: [],
          seen: new Set(),
          urls: new Set(),
        };
        acc.urls.add(url);
        const rows = inner ? race[inner] : [race];
        if (!Array.isArray(rows))
          throw new SourceError('schema', url, `Races[${index}].${inner}: expected a list`);
        if (inner === 'Laps') {
          rowsSeen += mergeLaps(acc, rows, url, index);
          byRound.set(round.data, acc);
          return;
        }
        rowsSeen += rows.length;
        if (inner) {
          for (const row of rows) {
            // A row repeated on two pages (the data shifted while paging) is kept once.
            const key = JSON.stringify(row);
            if (!acc.seen.has(key)) acc.rows.push(row);
            acc.seen.add(key);
          }
        }
        byRound.set(round.data, acc);
      });
      if (data.limit <= 0 || data.offset + data.limit >= total || races.length === 0) break;
      offset = data.offset + data.limit;
    }
    if (rowsSeen < total) {
      throw new SourceError(
        'paging',
        this.url(path, 0),
        `pages held ${rowsSeen} rows, MRData.total says ${total}`,
      );
    }
    return this.parseRaces(byRound, schema, inner, pages);
  }

  private parseRaces<S extends z.ZodType>(
    byRound: Map<number, Accumulated>,
    schema: S,
    inner: InnerKey | null,
    pages: number,
  ): RaceTableResult<z.infer<S>> {
    const races: z.infer<S>[] = [];
    const failures: RoundFailure[] = [];
    for (const [round, acc] of [...byRound].sort((a, b) => a[0] - b[0])) {
      const candidate = inner ? { ...acc.header, [inner]: acc.rows } : acc.header;
      const parsed = schema.safeParse(candidate);
      if (parsed.success) {
        races.push(parsed.data);
      } else {
        failures.push({
          season: Number(acc.header.season),
          round,
          message: describeIssue(parsed.error),
          urls: [...acc.urls],
        });
      }
    }
    return { races, failures, pages };
  }

  /** Every page of a standings answer; rows of one list split across pages come back as two lists. */
  private async standingsLists(path: string): Promise<StandingsList[]> {
    const lists: StandingsList[] = [];
    let offset = 0;
    for (;;) {
      const { url, data } = await this.page(path, offset);
      const [first] = data.StandingsTable?.StandingsLists ?? [];
      if (first === undefined) break;
      const parsed = StandingsList.safeParse(first);
      if (!parsed.success) {
        throw new SourceError('schema', url, describeIssue(parsed.error, 'StandingsLists[0]'));
      }
      lists.push(parsed.data);
      if (data.limit <= 0 || data.offset + data.limit >= data.total) break;
      offset = data.offset + data.limit;
    }
    return lists;
  }
}

/**
 * Adds a page's laps to a race's, merging a lap that continues from the previous page (timings are
 * the innermost rows) and keeping a timing repeated on two pages once. Returns the timings seen.
 */
function mergeLaps(acc: Accumulated, laps: unknown[], url: string, index: number): number {
  let timings = 0;
  laps.forEach((raw, i) => {
    const lap = asRecord(raw, url, `Races[${index}].Laps[${i}]`);
    const list = lap.Timings;
    if (!Array.isArray(list))
      throw new SourceError('schema', url, `Races[${index}].Laps[${i}].Timings: expected a list`);
    timings += list.length;
    const number = String(lap.number);
    let into = acc.rows.find(
      (l): l is { number: unknown; Timings: unknown[] } =>
        (l as { number: unknown }).number === lap.number ||
        String((l as { number: unknown }).number) === number,
    );
    if (!into) {
      into = { number: lap.number, Timings: [] };
      acc.rows.push(into);
    }
    for (const timing of list) {
      const key = `${number}:${JSON.stringify(timing)}`;
      if (!acc.seen.has(key)) into.Timings.push(timing);
      acc.seen.add(key);
    }
  });
  return timings;
}

function scope(season: number, round: number | undefined, endpoint: string): string {
  const parts = [
    String(season),
    ...(round === undefined ? [] : [String(round)]),
    ...(endpoint ? [endpoint] : []),
  ];
  return parts.join('/');
}
