/**
 * Test helper: compares a facade answer with a recorded one. Structure (keys, their order, value
 * types, list lengths) and values are compared after `withoutKnownDrift` removes, from both sides,
 * the fields where the shared export is known to differ from the live source (not the facade).
 */
export interface FixtureDiff {
  structure: string[];
  values: string[];
}

type Json = unknown;

const LAPPED = /^(Lapped|\+\d+ Laps?)$/;

/**
 * The recorded answer and ours with the export's known differences removed:
 * - circuit `url` and `country` (the export's older circuit records: "United States" for "USA");
 * - result `status` text (Jolpica's newer vocabulary: "Lapped" for "+1 Lap");
 * - `Time` of lapped finishers (Jolpica has their times; the export has none);
 * - sprint `FastestLap.rank` (the export has no sprint fastest-lap rank);
 * - qualifying parts recorded as "" (took part without a time: the export has no such value).
 */
export function withoutKnownDrift(value: Json, parent = ''): Json {
  if (Array.isArray(value)) return value.map((v) => withoutKnownDrift(v, parent));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, Json> = {};
  const record = value as Record<string, Json>;
  for (const [key, v] of Object.entries(record)) {
    if (parent === 'Circuit' && key === 'url') continue;
    if (parent === 'Location' && key === 'country') continue;
    if ((parent === 'Results' || parent === 'SprintResults') && key === 'status') continue;
    if (parent === 'Results' && key === 'Time' && LAPPED.test(String(record.status))) continue;
    if (parent === 'SprintFastestLap' && key === 'rank') continue;
    if (parent === 'QualifyingResults' && /^Q[123]$/.test(key) && v === '') continue;
    const next = parent === 'SprintResults' && key === 'FastestLap' ? 'SprintFastestLap' : key;
    out[key] = withoutKnownDrift(v, next);
  }
  return out;
}

export function diffAnswers(expected: Json, actual: Json, at = ''): FixtureDiff {
  const diff: FixtureDiff = { structure: [], values: [] };
  walk(expected, actual, at, diff);
  return diff;
}

const kind = (v: Json) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

function walk(expected: Json, actual: Json, at: string, diff: FixtureDiff): void {
  if (kind(expected) !== kind(actual)) {
    diff.structure.push(`${at}: ${kind(expected)} expected, ${kind(actual)} found`);
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length)
      diff.structure.push(`${at}: ${expected.length} items expected, ${actual.length} found`);
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) walk(expected[i], actual[i], `${at}[${i}]`, diff);
    return;
  }
  if (typeof expected === 'object' && expected !== null) {
    const e = expected as Record<string, Json>;
    const a = actual as Record<string, Json>;
    const ek = Object.keys(e);
    const ak = Object.keys(a);
    if (ek.join() !== ak.join()) diff.structure.push(`${at}: keys [${ek}] expected, [${ak}] found`);
    for (const key of ek) if (key in a) walk(e[key], a[key], `${at}.${key}`, diff);
    return;
  }
  if (expected !== actual)
    diff.values.push(
      `${at}: ${JSON.stringify(expected)} expected, ${JSON.stringify(actual)} found`,
    );
}
