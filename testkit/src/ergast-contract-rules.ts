/**
 * The rules that classify a value difference between a recorded Ergast answer and ours (see
 * ergast-contract.ts). Each rule is narrow — a named field, and where it can be, the shape of both
 * values — so a facade bug does not hide behind one: a difference no rule claims fails the contract.
 */
import type { ClassificationRule, DifferenceContext } from './ergast-contract.ts';

const ORIGIN = /^https?:\/\/[^/]+(?:\/api\/f1|\/ergast\/f1)/;

/** `http://ergast.com/api/f1/2023/4/driverStandings.json` → `/2023/4/driverstandings.json`. */
function recordedPath(url: string): string | null {
  if (!ORIGIN.test(url)) return null;
  return (url.replace(ORIGIN, '').split('?')[0] ?? '').toLowerCase();
}

/** The endpoint a request names (the last segment before `.json` that is an endpoint, or races). */
export function requestEndpoint(request: string): string {
  const segments = (request.split('?')[0] ?? '')
    .replace(/\.json$/, '')
    .split('/')
    .filter(Boolean)
    .map((s) => s.toLowerCase());
  const last = segments.at(-1) ?? '';
  // `/2023/10/laps/1.json`: a value after the endpoint name.
  if (/^\d+$/.test(last) && segments.length >= 2) {
    const before = segments.at(-2) ?? '';
    if (!/^\d+$/.test(before)) return before;
  }
  return /^\d+$/.test(last) || last === 'last' || last === 'next' ? 'races' : last;
}

type Obj = Record<string, unknown>;

/** The value at a difference's path (`MRData.RaceTable.Races[0].Results[3].Time`) in a body. */
export function valueAt(body: unknown, path: string): unknown {
  let node: unknown = body;
  for (const part of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m || node === null || typeof node !== 'object') return undefined;
    node = (node as Obj)[m[1] ?? ''];
    for (const index of (m[2] ?? '').match(/\d+/g) ?? []) {
      if (!Array.isArray(node)) return undefined;
      node = node[Number(index)];
    }
  }
  return node;
}

/** The result object (of a Results/SprintResults/QualifyingResults list) a difference sits in. */
function entryAt(body: unknown, path: string): Obj | undefined {
  const m = /^(.*?(?:Results|SprintResults|QualifyingResults|PitStops)\[\d+\])/.exec(path);
  const v = m ? valueAt(body, m[1] ?? '') : undefined;
  return v && typeof v === 'object' ? (v as Obj) : undefined;
}

const driverOf = (entry: Obj | undefined) =>
  entry ? ((entry.Driver as Obj | undefined)?.driverId ?? entry.driverId) : undefined;

/** Both sides hold the same driver's entry at the difference's path. */
function sameEntry(d: DifferenceContext): { recorded: Obj; ours: Obj } | null {
  const recorded = entryAt(d.recorded, d.path);
  const ours = entryAt(d.answer, d.path);
  if (!recorded || !ours || driverOf(recorded) === undefined) return null;
  return driverOf(recorded) === driverOf(ours) ? { recorded, ours } : null;
}

/** `(season/round, driverId)` of every row of a RaceTable list, in order. */
function raceRows(body: unknown, list: string): string[] {
  const races = (valueAt(body, 'MRData.RaceTable.Races') ?? []) as Obj[];
  return races.flatMap((race) =>
    ((race[list] ?? []) as Obj[]).map((row) => `${race.season}/${race.round} ${driverOf(row)}`),
  );
}

/**
 * The recorded page holds exactly our rows without `extra` (rows the source lacks), our page being cut
 * `extra.length` rows earlier: every other row, in order, is the same result.
 */
function sameRowsBut(d: DifferenceContext, list: string, extra: readonly string[]): boolean {
  const ours = raceRows(d.answer, list);
  const recorded = raceRows(d.recorded, list);
  const ourExtra = ours.filter((r) => extra.includes(r));
  if (ourExtra.length === 0) return false;
  const kept = ours.filter((r) => !extra.includes(r));
  return (
    kept.length === recorded.length - ourExtra.length && kept.every((r, i) => r === recorded[i])
  );
}

const WIKIPEDIA = /^https?:\/\/[a-z]+\.wikipedia\.org\/wiki\/./;

const is = (d: DifferenceContext, key: string) => d.kind === 'value' && d.key === key;

/** Fields the dialect leaves out when it has no value for them. */
const OPTIONAL_FIELDS = new Set([
  'url',
  'permanentNumber',
  'code',
  'dateOfBirth',
  'nationality',
  'lat',
  'long',
]);

interface Envelope {
  MRData?: {
    xmlns?: string;
    SeasonTable?: { Seasons?: { season: string }[] };
    StatusTable?: { Status?: { count: string }[] };
  };
}
const mrdata = (body: unknown) => (body as Envelope).MRData;

/** A recording Jolpica regenerated (its vocabulary of statuses); ergast.com's carry an xmlns. */
const byJolpica = (d: DifferenceContext) => mrdata(d.recorded)?.xmlns === '';

/** Seasons the live source had when recorded that the export (which ends with 2024) cannot have. */
function seasonsAfterExport(d: DifferenceContext): boolean {
  const recorded = mrdata(d.recorded)?.SeasonTable?.Seasons ?? [];
  const ours = mrdata(d.answer)?.SeasonTable?.Seasons ?? [];
  const later = recorded.filter((s) => Number(s.season) > 2024).length;
  return (
    later > 0 &&
    ours.every((s) => Number(s.season) <= 2024) &&
    Number(d.expected) - Number(d.got) === later
  );
}

/** The same results counted under another status vocabulary: the counts add up to the same total. */
function sameResultsCounted(d: DifferenceContext): boolean {
  const sum = (body: unknown) =>
    (mrdata(body)?.StatusTable?.Status ?? []).reduce((n, s) => n + Number(s.count), 0);
  return sum(d.recorded) > 0 && sum(d.recorded) === sum(d.answer);
}

export const ERGAST_CONTRACT_RULES: readonly ClassificationRule[] = [
  {
    name: 'MRData.url: the recording host and prefix (ergast.com/api/f1, testserver)',
    class: 'environment',
    applies: (d) =>
      d.path === 'MRData.url' &&
      recordedPath(d.expected) !== null &&
      recordedPath(d.expected) === recordedPath(d.got),
  },
  {
    name: 'MRData.xmlns: ergast.com answered "http://ergast.com/mrd/1.5", Jolpica ""',
    class: 'environment',
    applies: (d) =>
      d.path === 'MRData.xmlns' && d.expected === 'http://ergast.com/mrd/1.5' && d.got === '',
  },
  {
    name: 'laps: the export has no lap timings (only the recorded ones are loaded)',
    class: 'data not in the export',
    applies: (d) =>
      requestEndpoint(d.request) === 'laps' &&
      (d.path === 'MRData.total' ||
        (d.kind === 'row count' && ['Races', 'Laps', 'Timings'].includes(d.key))),
  },
  {
    name: 'an optional field the export has no value for (the live source has one)',
    class: 'data drift',
    applies: (d) => d.kind === 'missing key' && OPTIONAL_FIELDS.has(d.key),
  },
  {
    name: 'Wikipedia URLs re-edited since the export',
    class: 'data drift',
    applies: (d) =>
      is(d, 'url') &&
      d.path !== 'MRData.url' &&
      WIKIPEDIA.test(d.expected) &&
      WIKIPEDIA.test(d.got),
  },
  {
    name: 'permanent numbers: the source serves the current ones',
    class: 'data drift',
    applies: (d) => is(d, 'permanentNumber'),
  },
  {
    name: 'status texts: Jolpica renamed them ("+1 Lap" → "Lapped", …)',
    class: 'data drift',
    applies: (d) => is(d, 'status'),
  },
  {
    name: 'status ids: Jolpica numbers its new statuses differently',
    class: 'data drift',
    applies: (d) => is(d, 'statusId'),
  },
  {
    name: 'seasons: the recording has 2025, the export ends with 2024',
    class: 'data drift',
    applies: (d) =>
      requestEndpoint(d.request) === 'seasons' &&
      (d.path === 'MRData.total' || (d.kind === 'row count' && d.key === 'Seasons')) &&
      seasonsAfterExport(d),
  },
  {
    name: "status: Jolpica's merged vocabulary counts the same results under fewer statuses",
    class: 'data drift',
    applies: (d) =>
      requestEndpoint(d.request) === 'status' &&
      byJolpica(d) &&
      sameResultsCounted(d) &&
      (d.path === 'MRData.total' ||
        (d.kind === 'row count' && d.key === 'Status') ||
        (d.kind === 'value' && ['count', 'status', 'statusId'].includes(d.key))),
  },
  {
    // Id 1 (Finished) means the same on both sides, so it is never excused.
    name: 'status/{id} filters (id ≠ 1): Jolpica renumbered its statuses, an id names another one',
    class: 'data drift',
    applies: (d) =>
      /\/status\/([2-9]|\d\d+)/.test(d.request) &&
      byJolpica(d) &&
      (d.path === 'MRData.total' || d.kind === 'row count'),
  },
  {
    name: '1980 standings after round 14: the export lists all 41 entrants, Jolpica 34',
    class: 'data drift',
    applies: (d) =>
      d.request === '/1980/14/driverstandings.json?limit=21' &&
      d.path === 'MRData.total' &&
      d.expected === '34' &&
      d.got === '41',
  },
  {
    name: 'circuit countries renamed since the export ("USA" → "United States")',
    class: 'data drift',
    applies: (d) => is(d, 'country'),
  },
  {
    name: 'circuit names renamed since the export',
    class: 'data drift',
    applies: (d) => is(d, 'circuitName'),
  },
  {
    // jolpica-f1 tests/fixtures/db/sessionentrys.csv: their Q1–Q3 rows for a driver who took part without
    // a time (2023: Hülkenberg Q3 at round 1, Albon Q2 at round 1, Verstappen Q3 at round 5, Pérez Q1 at
    // round 3…) print `""`. The export has no per-part rows: qualifying.csv has `\N` there, and its few
    // `""` (2023 round 22, 2024 rounds 2/7/15/17) are drivers eliminated BEFORE that part (P11–P19 with
    // Q3 ""), so `""` in the export does not mean "took part" and the facade cannot know it.
    name: 'Q1–Q3 "": a part the driver took part in without a time (the export has no per-part rows)',
    class: 'data drift',
    applies: (d) =>
      d.kind === 'missing key' &&
      ['Q1', 'Q2', 'Q3'].includes(d.key) &&
      d.expected === '' &&
      /QualifyingResults\[\d+\]\.Q[123]$/.test(d.path) &&
      sameEntry(d) !== null,
  },
  {
    // results.csv has no time for a lapped finisher (2023 round 1: Sargeant, Magnussen, de Vries,
    // Hülkenberg, Zhou, Norris: time and milliseconds \N, statusId 11/12 "+1 Lap"/"+2 Laps"); Jolpica's
    // session entries carry one and print it for every classified entry ("Lapped", e.g. "+1.136").
    name: 'Time of a lapped finisher: Jolpica has one, results.csv has \\N ("+n Lap(s)")',
    class: 'data drift',
    applies: (d) => {
      if (d.kind !== 'missing key' || d.key !== 'Time' || !byJolpica(d)) return false;
      const both = sameEntry(d);
      return (
        both !== null &&
        both.recorded.status === 'Lapped' &&
        /^\+\d+ Laps?$/.test(String(both.ours.status)) &&
        both.recorded.position === both.ours.position &&
        both.recorded.positionText === both.ours.positionText
      );
    },
  },
  {
    // results.csv gives a pit-lane starter grid 0 (2023 round 9: de Vries, Magnussen: grid 0); Jolpica
    // gives the slot they were listed in (20, 19).
    name: 'grid of a pit-lane starter: results.csv 0, Jolpica the grid slot',
    class: 'data drift',
    applies: (d) =>
      is(d, 'grid') &&
      d.got === '0' &&
      /^[1-9]\d*$/.test(d.expected) &&
      /\.Results\[\d+\]\.grid$/.test(d.path) &&
      sameEntry(d) !== null,
  },
  {
    // 2023 USGP (round 18): Leclerc was disqualified from pole. results.csv (resultId 26205): position
    // \N, positionText "D", no time, no fastest lap. Jolpica's session entry is_classified=true,
    // position 20, "Disqualified", with a time and fastest lap: it prints positionText "20" and Time.
    name: 'a disqualified entry Jolpica keeps classified (positionText "20", Time, FastestLap)',
    class: 'data drift',
    applies: (d) => {
      const both = sameEntry(d);
      if (both?.recorded.status !== 'Disqualified' || both.ours.status !== 'Disqualified')
        return false;
      if (both.recorded.position !== both.ours.position) return false;
      if (d.kind === 'value')
        return d.key === 'positionText' && d.expected === both.recorded.position && d.got === 'D';
      return (
        d.kind === 'missing key' &&
        ['Time', 'FastestLap'].includes(d.key) &&
        both.ours.positionText === 'D'
      );
    },
  },
  {
    // The same Leclerc 2023 round 18 entry: Jolpica's results/20 filter (position 20 AND is_classified)
    // matches it, the export's position is \N. Jolpica: Sargeant (5, 7), Leclerc (18), Magnussen (22).
    name: "2023 results/20 drivers: Jolpica counts Leclerc's classified disqualification (round 18)",
    class: 'data drift',
    applies: (d) => {
      if (d.request !== '/2023/results/20/drivers.json' || !byJolpica(d)) return false;
      const ids = (body: unknown) =>
        ((valueAt(body, 'MRData.DriverTable.Drivers') ?? []) as Obj[]).map((x) => x.driverId);
      const recorded = ids(d.recorded);
      const ours = ids(d.answer);
      const sameBut = recorded.filter((id) => id !== 'leclerc');
      if (
        ours.includes('leclerc') ||
        sameBut.join() !== ours.join() ||
        sameBut.length !== recorded.length - 1
      )
        return false;
      return (
        d.path === 'MRData.total' ||
        (d.kind === 'row count' && d.key === 'Drivers') ||
        (d.kind === 'value' && d.path.startsWith('MRData.DriverTable.Drivers['))
      );
    },
  },
  {
    // 2023 round 18 pit stops: pit_stops.csv gives Ricciardo (driverId 817) a copy of Leclerc's stop
    // ("1116,817,1,23,14:43:10,23.963" = "1116,844,1,23,…"); Jolpica has his own (lap 22, 14:41:51,
    // 24.364). Ours lists the two identical stops; each difference is within that pair.
    name: "2023/18 pit stops: the export duplicates Leclerc's stop for Ricciardo",
    class: 'data drift',
    applies: (d) => {
      if (d.request !== '/2023/18/pitstops.json' || d.kind !== 'value') return false;
      const m = /^(MRData\.RaceTable\.Races\[0\]\.PitStops)\[(\d+)\]\.\w+$/.exec(d.path);
      if (!m) return false;
      const stops = (valueAt(d.answer, m[1] ?? '') ?? []) as Obj[];
      const i = Number(m[2]);
      const copyOf = (a: Obj | undefined, b: Obj | undefined) =>
        a !== undefined &&
        b !== undefined &&
        ['lap', 'stop', 'time', 'duration'].every((k) => a[k] === b[k]);
      const pair = [stops[i - 1], stops[i], stops[i + 1]].filter((s) => copyOf(s, stops[i]));
      const drivers = new Set(pair.map((s) => s?.driverId));
      return pair.length === 2 && drivers.has('ricciardo') && drivers.has('leclerc');
    },
  },
  {
    // jolpica-f1 sessionentrys.csv: its Q1/Q2 places are stored, not ranked from times, and three carry
    // the driver's overall place: 2023 round 13 Albon Q1 position 4 with 1:20.939 (Verstappen, 1:20.965,
    // is Q1 P1), round 20 Russell Q1 6 (1:10.340 < Verstappen's 1:10.436), Norris Q2 7 (1:10.021 <
    // 1:10.162). The export has no per-part places; we rank qualifying.csv's times, which puts these
    // three first: 44 rows, Jolpica 41. The rest of the page is the same rows.
    name: '2023 qualifying/1: three per-part places Jolpica stores differently from the times',
    class: 'data drift',
    applies: (d) => {
      if (d.request !== '/2023/qualifying/1.json' || !byJolpica(d)) return false;
      const extra = ['2023/13 albon', '2023/20 russell', '2023/20 norris'];
      if (!sameRowsBut(d, 'QualifyingResults', extra)) return false;
      if (d.path === 'MRData.total') return Number(d.got) - Number(d.expected) === extra.length;
      return d.kind === 'row count' && ['Races', 'QualifyingResults'].includes(d.key);
    },
  },
  {
    // jolpica-f1 sessionentrys.csv: 316 race entries of 2023 are "Finished", the export's statusId 1
    // has 304. The 12 others are results.csv "Collision"/"Accident"/"Collision damage"/"Engine"/
    // "Gearbox"/"Retired" (round 3: Gasly, Ocon, de Vries, Sargeant, Magnussen; 6 Magnussen; 10 Gasly;
    // 11 Sargeant; 15 Russell; 21 Hülkenberg, Tsunoda; 22 Sainz). Only the total; rows must agree.
    name: '2023 status/1: Jolpica has 12 more "Finished" race entries (316, the export 304)',
    class: 'data drift',
    applies: (d) =>
      /^\/2023\/status\/1\/(results|qualifying)\.json$/.test(d.request) &&
      byJolpica(d) &&
      d.path === 'MRData.total' &&
      d.expected === '316' &&
      d.got === '304',
  },
  {
    // sprint_results.csv has no fastest-lap rank column; Jolpica has one for some sprints (2023 round 9:
    // Verstappen rank "12"; round 4: none), so neither ranking the times nor leaving it out matches.
    name: 'FastestLap.rank of a sprint: sprint_results.csv has no rank column',
    class: 'data not in the export',
    applies: (d) => {
      if (d.kind !== 'missing key' || d.key !== 'rank') return false;
      if (!/\.SprintResults\[\d+\]\.FastestLap\.rank$/.test(d.path)) return false;
      const both = sameEntry(d);
      const lap = (e: Obj) => e.FastestLap as Obj | undefined;
      return both !== null && lap(both.ours)?.lap === lap(both.recorded)?.lap;
    },
  },
  {
    // 2023 Baku sprint: Sargeant crashed (both: status "Accident", 0 laps); sprint_results.csv
    // (resultId 140) writes positionText "W", Jolpica "R".
    name: 'positionText W/R of a non-starter: the export writes "W", Jolpica "R" (same status)',
    class: 'data drift',
    applies: (d) => {
      if (!is(d, 'positionText') || d.expected !== 'R' || d.got !== 'W') return false;
      const both = sameEntry(d);
      return (
        both !== null &&
        both.recorded.status === both.ours.status &&
        both.recorded.position === both.ours.position &&
        both.ours.laps === '0'
      );
    },
  },
];
