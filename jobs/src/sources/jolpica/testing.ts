/**
 * A fake Jolpica-F1 for tests, served through msw: full seasons generated from an Ergast CSV export
 * (the shared 1950–2024 export, or the project's own mini export; a season's page from its
 * `seasons.csv`) with the source's real paging —
 * `limit` defaults to 30 and is clamped to 100, `limit`/`offset` count innermost rows (not races), so
 * races are split across pages — plus recorded real responses, and injectable faults (429 with or
 * without Retry-After, 503, dropped connections, slow answers, malformed JSON, schema violations).
 *
 * `fake.results` and friends are plain arrays: a test rewrites them (a disqualification) and the next
 * request serves the new data.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { delay, HttpResponse, http } from 'msw';
import type {
  LapRecord,
  PitStopRecord,
  QualifyingRecord,
  RaceRecord,
  ResultRecord,
  SeasonRecord,
  SessionRecord,
  SprintRecord,
} from '../../ingestion/dataset.ts';
import { readCsvRecordsIfExists } from '../csv-export/parse-csv.ts';
import { readErgastExport } from '../csv-export/read-export.ts';
import type { Clock } from '../http/pacer.ts';

export const FAKE_BASE_URL = 'https://fake-jolpica.test/ergast/f1';

export type Fault =
  | { status: 429; retryAfter?: string }
  | { status: 500 | 502 | 503 }
  | { drop: true }
  | { delayMs: number }
  | { malformed: true }
  | { mutate: (body: Record<string, unknown>) => void };

interface FaultRule {
  match: RegExp;
  fault: Fault;
  remaining: number;
}

const str = (v: number | string | null | undefined) =>
  v === null || v === undefined ? undefined : String(v);
const prune = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const lapText = (ms: number | null) => {
  if (ms === null) return undefined;
  const minutes = Math.floor(ms / 60_000);
  const seconds = ((ms % 60_000) / 1000).toFixed(3).padStart(6, '0');
  return minutes > 0 ? `${minutes}:${seconds}` : seconds.replace(/^0/, '');
};

export function fakeJolpica(options: {
  exportDirs: string[];
  seasons?: number[];
  baseUrl?: string;
  /** The page size the fake clamps `limit` to (the real source: 100); small values force split races. */
  maxLimit?: number;
}) {
  const maxLimit = options.maxLimit ?? 100;
  const baseUrl = options.baseUrl ?? FAKE_BASE_URL;
  const exports = options.exportDirs.map((dir) =>
    readErgastExport(dir, { seasons: options.seasons }),
  );
  const last = <T>(rows: T[], key: (row: T) => string) => [
    ...new Map(rows.map((r) => [key(r), r])).values(),
  ];
  const circuits = new Map(
    last(
      exports.flatMap((e) => e.circuits),
      (c) => c.circuit_ref,
    ).map((c) => [c.circuit_ref, c]),
  );
  const drivers = new Map(
    last(
      exports.flatMap((e) => e.drivers),
      (d) => d.driver_ref,
    ).map((d) => [d.driver_ref, d]),
  );
  const teams = new Map(
    last(
      exports.flatMap((e) => e.teams),
      (t) => t.team_ref,
    ).map((t) => [t.team_ref, t]),
  );
  const byRace = <T extends { season: number; round: number }>(
    pick: (e: (typeof exports)[number]) => T[],
  ) => {
    const out = new Map<string, T[]>();
    for (const e of exports) {
      const fresh = new Map<string, T[]>();
      for (const row of pick(e)) {
        const key = `${row.season}:${row.round}`;
        fresh.set(key, [...(fresh.get(key) ?? []), row]);
      }
      for (const [key, rows] of fresh) out.set(key, rows);
    }
    return [...out.values()].flat();
  };
  const fake = {
    baseUrl,
    races: byRace((e) => e.races) as RaceRecord[],
    sessions: byRace((e) => e.sessions) as SessionRecord[],
    results: byRace((e) => e.results) as ResultRecord[],
    sprintResults: byRace((e) => e.sprintResults) as SprintRecord[],
    qualifying: byRace((e) => e.qualifying) as QualifyingRecord[],
    /** Season pages (`seasons.csv`), the last export's row per year. */
    seasons: last(
      exports.flatMap((e) => e.seasons),
      (s) => String(s.year),
    ) as SeasonRecord[],
    laps: byRace((e) => e.laps ?? []) as LapRecord[],
    pitStops: byRace((e) => e.pitStops ?? []) as PitStopRecord[],
    standings: readStandings(options.exportDirs),
    /** Every URL requested, in order. */
    requests: [] as string[],
    faults: [] as FaultRule[],
    /** Recorded real responses: URL path (after the base) and query → file. */
    recorded: new Map<string, string>(),
    /** Queues a fault for the next `times` requests whose URL matches. */
    fail(match: RegExp, fault: Fault, times = 1) {
      fake.faults.push({ match, fault, remaining: times });
    },
    handlers: [] as ReturnType<typeof http.get>[],
  };

  const driverJson = (ref: string) => {
    const d = drivers.get(ref);
    return prune({
      driverId: ref,
      permanentNumber: str(d?.permanent_number),
      code: d?.code ?? undefined,
      url: d?.url ?? undefined,
      givenName: d?.given_name ?? '',
      familyName: d?.family_name ?? ref,
      dateOfBirth: d?.date_of_birth ?? undefined,
      nationality: d?.nationality ?? undefined,
    });
  };
  const teamJson = (ref: string | null) => {
    if (!ref) return undefined;
    const t = teams.get(ref);
    return prune({
      constructorId: ref,
      url: t?.url ?? undefined,
      name: t?.name ?? ref,
      nationality: t?.nationality ?? undefined,
    });
  };
  const SESSION_KEYS = {
    fp1: 'FirstPractice',
    fp2: 'SecondPractice',
    fp3: 'ThirdPractice',
    qualifying: 'Qualifying',
    sprint: 'Sprint',
    sprint_qualifying: 'SprintQualifying',
  } as const;
  const raceJson = (race: RaceRecord) => {
    const c = circuits.get(race.circuitRef);
    const sessions = Object.fromEntries(
      fake.sessions
        .filter((s) => s.season === race.season && s.round === race.round)
        .map((s) => [
          SESSION_KEYS[s.kind],
          prune({ date: s.date, time: s.starts_at ? `${s.starts_at.slice(11, 19)}Z` : undefined }),
        ]),
    );
    return prune({
      season: String(race.season),
      round: String(race.round),
      url: race.url ?? undefined,
      raceName: race.name,
      Circuit: prune({
        circuitId: race.circuitRef,
        url: c?.url ?? undefined,
        circuitName: c?.name ?? race.circuitRef,
        Location: prune({
          lat: str(c?.latitude),
          long: str(c?.longitude),
          locality: c?.locality ?? undefined,
          country: c?.country ?? undefined,
        }),
      }),
      date: race.date,
      time: race.starts_at ? `${race.starts_at.slice(11, 19)}Z` : undefined,
      ...sessions,
    });
  };
  const resultJson = (r: ResultRecord | SprintRecord, sprint: boolean) =>
    prune({
      number: str(r.number),
      position: String(r.position_order),
      positionText: r.position_text,
      points: String(r.points),
      Driver: driverJson(r.driverRef),
      Constructor: teamJson(r.teamRef),
      grid: str(r.grid),
      laps: str(r.laps),
      status: r.status ?? undefined,
      Time:
        r.time_text || r.time_millis
          ? prune({ millis: str(r.time_millis), time: r.time_text ?? undefined })
          : undefined,
      FastestLap:
        r.fastest_lap !== null || r.fastest_lap_millis !== null
          ? prune({
              rank: sprint ? undefined : str((r as ResultRecord).fastest_lap_rank),
              lap: str(r.fastest_lap),
              Time: r.fastest_lap_millis ? { time: lapText(r.fastest_lap_millis) } : undefined,
              AverageSpeed:
                !sprint && (r as ResultRecord).fastest_lap_speed_kph !== null
                  ? { units: 'kph', speed: (r as ResultRecord).fastest_lap_speed_kph?.toFixed(3) }
                  : undefined,
            })
          : undefined,
    });
  const qualifyingJson = (q: QualifyingRecord) =>
    prune({
      number: str(q.number),
      position: String(q.position),
      Driver: driverJson(q.driverRef),
      Constructor: teamJson(q.teamRef),
      Q1: lapText(q.q1_millis),
      Q2: lapText(q.q2_millis),
      Q3: lapText(q.q3_millis),
    });

  const envelope = (
    url: string,
    limit: number,
    offset: number,
    total: number,
    table: Record<string, unknown>,
  ) => ({
    MRData: {
      xmlns: '',
      series: 'f1',
      url,
      limit: String(limit),
      offset: String(offset),
      total: String(total),
      ...table,
    },
  });

  /** Rows of one race table page: innermost rows sliced, regrouped into (partial) races. */
  function racePage(
    url: string,
    season: number,
    round: number | null,
    inner: string | null,
    limit: number,
    offset: number,
  ) {
    const races = fake.races
      .filter((r) => r.season === season && (round === null || r.round === round))
      .sort((a, b) => a.round - b.round);
    const rowsOf = (race: RaceRecord): unknown[] => {
      const at = <T extends { season: number; round: number }>(rows: T[]) =>
        rows.filter((x) => x.season === race.season && x.round === race.round);
      if (inner === 'Results')
        return at(fake.results)
          .sort((a, b) => a.position_order - b.position_order)
          .map((r) => resultJson(r, false));
      if (inner === 'SprintResults')
        return at(fake.sprintResults)
          .sort((a, b) => a.position_order - b.position_order)
          .map((r) => resultJson(r, true));
      if (inner === 'Laps')
        return at(fake.laps)
          .sort((a, b) => a.lap - b.lap || (a.position ?? 99) - (b.position ?? 99))
          .map((l) => ({
            number: String(l.lap),
            timing: prune({
              driverId: l.driverRef,
              position: str(l.position),
              time: lapText(l.time_millis),
            }),
          }));
      if (inner === 'PitStops')
        return at(fake.pitStops)
          .sort((a, b) => a.time_of_day.localeCompare(b.time_of_day))
          .map((p) =>
            prune({
              driverId: p.driverRef,
              lap: String(p.lap),
              stop: String(p.stop),
              time: p.time_of_day,
              duration: lapText(p.duration_millis),
            }),
          );
      if (inner === 'QualifyingResults')
        return at(fake.qualifying)
          .sort((a, b) => a.position - b.position)
          .map(qualifyingJson);
      return [null];
    };
    const flat = races.flatMap((race) => rowsOf(race).map((row) => ({ race, row })));
    const slice = flat.slice(offset, offset + limit);
    const grouped: Record<string, unknown>[] = [];
    for (const { race, row } of slice) {
      let current = grouped.at(-1);
      if (!current || current.round !== String(race.round)) {
        current = { ...raceJson(race), ...(inner ? { [inner]: [] } : {}) };
        grouped.push(current);
      }
      if (inner === 'Laps') {
        // Timings are the rows: a lap continues on the next page under the same number.
        const { number, timing } = row as { number: string; timing: unknown };
        const laps = current.Laps as { number: string; Timings: unknown[] }[];
        let lap = laps.at(-1);
        if (!lap || lap.number !== number) {
          lap = { number, Timings: [] };
          laps.push(lap);
        }
        lap.Timings.push(timing);
      } else if (inner) (current[inner] as unknown[]).push(row);
    }
    return envelope(url, limit, offset, flat.length, {
      RaceTable: prune({
        season: String(season),
        round: round === null ? undefined : String(round),
        Races: grouped,
      }),
    });
  }

  function standingsPage(
    url: string,
    season: number,
    round: number | null,
    kind: 'driver' | 'constructor',
    limit: number,
    offset: number,
  ) {
    const rounds = fake.standings
      .filter((s) => s.season === season && s.kind === kind)
      .map((s) => s.round);
    const at = round ?? (rounds.length ? Math.max(...rounds) : null);
    const rows = fake.standings
      .filter((s) => s.season === season && s.kind === kind && s.round === at)
      .sort((a, b) => a.position - b.position);
    const slice = rows.slice(offset, offset + limit).map((s) =>
      prune({
        position: s.positionText === '-' ? undefined : String(s.position),
        positionText: s.positionText,
        points: String(s.points),
        wins: String(s.wins),
        ...(kind === 'driver' ? { Driver: driverJson(s.ref) } : { Constructor: teamJson(s.ref) }),
      }),
    );
    const lists = slice.length
      ? [
          {
            season: String(season),
            round: String(at),
            [kind === 'driver' ? 'DriverStandings' : 'ConstructorStandings']: slice,
          },
        ]
      : [];
    return envelope(url, limit, offset, rows.length, {
      StandingsTable: { season: String(season), StandingsLists: lists },
    });
  }

  /** `/{season}/seasons`: that season's entry (url absent when the export has none), if it is known. */
  function seasonsPage(url: string, season: number, limit: number, offset: number) {
    const rows = fake.seasons
      .filter((s) => s.year === season)
      .map((s) => prune({ season: String(s.year), url: s.url ?? undefined }));
    return envelope(url, limit, offset, rows.length, {
      SeasonTable: { season: String(season), Seasons: rows.slice(offset, offset + limit) },
    });
  }

  const ENDPOINTS: Record<string, string | null> = {
    results: 'Results',
    sprint: 'SprintResults',
    qualifying: 'QualifyingResults',
    laps: 'Laps',
    pitstops: 'PitStops',
    races: null,
    '': null,
  };

  function answer(url: URL): Record<string, unknown> | null {
    const rest = decodeURIComponent(url.pathname.slice(new URL(baseUrl).pathname.length)).replace(
      /^\/|\.json$|\/$/g,
      '',
    );
    const recorded = fake.recorded.get(`${rest}${url.search}`) ?? fake.recorded.get(rest);
    if (recorded) return JSON.parse(readFileSync(recorded, 'utf8')) as Record<string, unknown>;
    const requested = Number(url.searchParams.get('limit') ?? 30);
    const limit = Math.min(Number.isFinite(requested) && requested > 0 ? requested : 30, maxLimit);
    const offset = Math.max(Number(url.searchParams.get('offset') ?? 0) || 0, 0);
    const parts = rest.split('/');
    const season = Number(parts[0]);
    if (!Number.isInteger(season)) return null;
    const round = parts[1] && /^\d+$/.test(parts[1]) ? Number(parts[1]) : null;
    const endpoint = (round === null ? parts[1] : parts[2]) ?? '';
    const canonical = `${baseUrl}/${rest}.json`;
    if (endpoint === 'driverstandings' || endpoint === 'driverStandings')
      return standingsPage(canonical, season, round, 'driver', limit, offset);
    if (endpoint === 'constructorstandings' || endpoint === 'constructorStandings')
      return standingsPage(canonical, season, round, 'constructor', limit, offset);
    if (endpoint === 'seasons' && round === null)
      return seasonsPage(canonical, season, limit, offset);
    if (!(endpoint in ENDPOINTS)) return null;
    // Like the source: laps and pit stops are served per round only.
    if ((endpoint === 'laps' || endpoint === 'pitstops') && round === null)
      return {
        detail:
          "Bad Request: Missing one of the required parameters ['season_year', 'race_round'].",
      };
    return racePage(canonical, season, round, ENDPOINTS[endpoint] ?? null, limit, offset);
  }

  /** Answers one request (msw in-process, or `serveFake` over real HTTP for child processes). */
  async function respond(request: Request): Promise<Response> {
    fake.requests.push(request.url);
    const rule = fake.faults.find((f) => f.remaining > 0 && f.match.test(request.url));
    if (rule) rule.remaining--;
    const fault = rule?.fault;
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = {};
      if (fault.status === 429 && fault.retryAfter !== undefined)
        headers['retry-after'] = fault.retryAfter;
      return HttpResponse.json(
        { detail: fault.status === 429 ? 'Request was throttled.' : 'Service Unavailable' },
        { status: fault.status, headers },
      );
    }
    if (fault && 'drop' in fault) return HttpResponse.error();
    if (fault && 'malformed' in fault)
      return new HttpResponse('{"MRData": {"limit": "30", "Race', {
        headers: { 'content-type': 'application/json' },
      });
    if (fault && 'delayMs' in fault) await delay(fault.delayMs);
    const body = answer(new URL(request.url));
    if (!body) return HttpResponse.json({ detail: 'Not found.' }, { status: 404 });
    if (!('MRData' in body)) return HttpResponse.json(body, { status: 400 });
    if (fault && 'mutate' in fault) fault.mutate(body);
    return HttpResponse.json(body);
  }
  fake.handlers = [http.get(`${baseUrl}/*`, ({ request }) => respond(request))];
  return Object.assign(fake, { respond });
}

/**
 * Serves a fake over real HTTP on a free port (for child processes, which msw cannot reach); the
 * base URL to configure is `server.baseUrl`. Dropped connections become 502s here.
 */
export function serveFake(fake: FakeJolpica) {
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (request) => {
      const response = await fake.respond(request);
      return response.type === 'error' ? new Response('bad gateway', { status: 502 }) : response;
    },
  });
  return Object.assign(server, {
    baseUrl: `http://127.0.0.1:${server.port}${new URL(fake.baseUrl).pathname}`,
  });
}

export type FakeJolpica = ReturnType<typeof fakeJolpica>;

/** Registers recorded real responses (`ergast-json/...`): the file name is the URL path with `@` for `/`, `^` for `?`. */
export function addRecorded(fake: FakeJolpica, dir: string, files: string[]): void {
  for (const file of files) {
    const full = path.join(dir, file);
    if (!existsSync(full)) throw new Error(`recorded response missing: ${full}`);
    const [name = '', query] = path.basename(file).split('^');
    fake.recorded.set(
      name.replace(/\.json$/, '').replaceAll('@', '/') + (query ? `?${query}` : ''),
      full,
    );
  }
}

interface StandingRow {
  season: number;
  round: number;
  kind: 'driver' | 'constructor';
  ref: string;
  position: number;
  positionText: string;
  points: number;
  wins: number;
}

function readStandings(dirs: string[]): StandingRow[] {
  const out: StandingRow[] = [];
  for (const dir of dirs) {
    const races = new Map(
      readCsvRecordsIfExists(path.join(dir, 'races.csv')).map((r) => [
        r.raceId,
        { season: Number(r.year), round: Number(r.round) },
      ]),
    );
    const refs = (file: string, id: string, ref: string) =>
      new Map(readCsvRecordsIfExists(path.join(dir, file)).map((r) => [r[id], r[ref] ?? '']));
    const drivers = refs('drivers.csv', 'driverId', 'driverRef');
    const teams = refs('constructors.csv', 'constructorId', 'constructorRef');
    for (const [file, kind, id, map] of [
      ['driver_standings.csv', 'driver', 'driverId', drivers],
      ['constructor_standings.csv', 'constructor', 'constructorId', teams],
    ] as const) {
      for (const r of readCsvRecordsIfExists(path.join(dir, file))) {
        const race = races.get(r.raceId ?? null);
        const ref = map.get(r[id] ?? null);
        if (!race || !ref) continue;
        out.push({
          ...race,
          kind,
          ref,
          position: Number(r.position),
          positionText: r.positionText ?? String(r.position),
          points: Number(r.points),
          wins: Number(r.wins),
        });
      }
    }
  }
  return out;
}

/** A clock that advances only when slept on, recording each wait. */
export function manualClock(
  start = 1_000_000,
): Clock & { waits: number[]; advance(ms: number): void } {
  let now = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms) {
      waits.push(ms);
      now += Math.max(ms, 0);
    },
  };
}
