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
];
