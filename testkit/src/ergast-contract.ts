/**
 * The Ergast fixture contract: a recorded real answer of the dialect (jolpica-f1's fixtures) against
 * ours for the same path, compared STRUCTURALLY (same keys, same key order, same JSON types, same row
 * counts, same paging and echoed filters) and then VALUE by value. Structure is the facade's job: any
 * structural difference fails. A value difference is allowed only when a rule classifies it:
 *
 * - `environment`: where the answer was recorded (`MRData.url`'s host and prefix, ergast.com's
 *   `xmlns`), not what it says;
 * - `data drift`: the export (Ergast's final CSV) and the live source disagree about the fact itself
 *   (Jolpica's newer status texts and ids, current permanent numbers, re-edited Wikipedia URLs and names);
 * - `data not in the export`: the export has no lap timings, so a laps answer can only hold the timings
 *   the recordings themselves contain (see tests/ergast-contract.test.ts).
 *
 * `fixtureRequest` turns a fixture's file name into the request it recorded.
 */

/** `laps/2023@18@laps.json^offset=45` → `/2023/18/laps.json?offset=45` (after the `/ergast/f1` prefix). */
export function fixtureRequest(file: string): string {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return `/${name.replaceAll('@', '/').replace('^', '?')}`;
}

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'object') return t;
  throw new Error(`not a JSON value: ${t}`);
}

export type StructuralKind =
  | 'missing key'
  | 'extra key'
  | 'key order'
  | 'type'
  | 'not a string'
  | 'row count';

export interface StructuralDifference {
  kind: StructuralKind;
  /** Where: `MRData.RaceTable.Races[0].Results` */
  path: string;
  expected: string;
  got: string;
}

export type ValueClass = 'environment' | 'data drift' | 'data not in the export';

export interface ValueDifference {
  path: string;
  expected: string;
  got: string;
  /** null: no rule explains it (the contract fails). */
  class: ValueClass | null;
  /** The rule that classified it. */
  rule: string | null;
}

/** What a classification rule sees of a difference. */
export interface DifferenceContext {
  /** The request path (`/2023/18/laps.json?offset=45`). */
  request: string;
  /** The whole recorded answer and ours, for rules that check a difference against the rest. */
  recorded: unknown;
  answer: unknown;
  /** The difference's JSON path. */
  path: string;
  /** The last key on the path (`status` for `…Results[3].status`), array indexes skipped. */
  key: string;
  /** Values: the two strings; row counts: the two lengths; a missing or extra key: the value present. */
  expected: string;
  got: string;
  /**
   * `value`: two strings differ; `row count`: an array of another length; `missing key` / `extra key`:
   * a field present on one side only (the dialect leaves a field out when there is no value, so this
   * can be data: the export lacks a value the live source has).
   */
  kind: 'value' | 'row count' | 'missing key' | 'extra key';
}

export interface ClassificationRule {
  name: string;
  class: ValueClass;
  applies: (d: DifferenceContext) => boolean;
}

export interface Comparison {
  structural: StructuralDifference[];
  values: ValueDifference[];
}

const show = (value: unknown): string =>
  jsonType(value) === 'string' ? String(value) : JSON.stringify(value);

function lastKey(path: string): string {
  const parts = path.replace(/\[\d+\]/g, '').split('.');
  return parts.at(-1) ?? '';
}

/**
 * Compares `got` with `expected` (the recording). Arrays are compared position by position up to the
 * shorter one. A length difference, or a key present on one side only, is structural unless a rule
 * explains it as data (then it is listed as a value difference of that class).
 */
export function compareErgast(
  expected: unknown,
  got: unknown,
  options: { request: string; rules: readonly ClassificationRule[] },
): Comparison {
  const structural: StructuralDifference[] = [];
  const values: ValueDifference[] = [];
  const classify = (d: DifferenceContext) => options.rules.find((r) => r.applies(d)) ?? null;

  const at = (path: string, key: string) => (path ? `${path}.${key}` : key);
  /**
   * A difference a rule may explain: then it is a value difference of the rule's class; else a value
   * difference is unclassified and a row count or key presence difference is structural.
   */
  const claim = (d: Omit<DifferenceContext, 'request' | 'recorded' | 'answer'>): void => {
    const context: DifferenceContext = {
      ...d,
      request: options.request,
      recorded: expected,
      answer: got,
    };
    const rule = classify(context);
    if (rule || d.kind === 'value') {
      const suffix = d.kind === 'row count' ? '.length' : '';
      values.push({
        path: `${d.path}${suffix}`,
        expected: d.kind === 'extra key' ? '(absent)' : d.expected,
        got: d.kind === 'missing key' ? '(absent)' : d.got,
        class: rule?.class ?? null,
        rule: rule?.name ?? null,
      });
      return;
    }
    structural.push({
      kind: d.kind,
      path: d.path,
      expected: d.kind === 'missing key' ? d.key : d.expected,
      got: d.kind === 'extra key' ? d.key : d.got,
    });
  };
  const walk = (e: unknown, g: unknown, path: string): void => {
    const te = jsonType(e);
    const tg = jsonType(g);
    if (te !== tg) {
      structural.push({ kind: 'type', path, expected: te, got: tg });
      return;
    }
    if (te === 'object') {
      const eo = e as Record<string, unknown>;
      const go = g as Record<string, unknown>;
      const ek = Object.keys(eo);
      const gk = Object.keys(go);
      for (const k of ek)
        if (!Object.hasOwn(go, k))
          claim({ kind: 'missing key', path: at(path, k), key: k, expected: show(eo[k]), got: '' });
      for (const k of gk)
        if (!Object.hasOwn(eo, k))
          claim({ kind: 'extra key', path: at(path, k), key: k, expected: '', got: show(go[k]) });
      const common = (keys: string[], other: Record<string, unknown>) =>
        keys.filter((k) => Object.hasOwn(other, k));
      const eCommon = common(ek, go);
      const gCommon = common(gk, eo);
      if (eCommon.join(',') !== gCommon.join(','))
        structural.push({
          kind: 'key order',
          path,
          expected: eCommon.join(','),
          got: gCommon.join(','),
        });
      for (const k of eCommon) walk(eo[k], go[k], at(path, k));
      return;
    }
    if (te === 'array') {
      const ea = e as unknown[];
      const ga = g as unknown[];
      if (ea.length !== ga.length)
        claim({
          kind: 'row count',
          path,
          key: lastKey(path),
          expected: String(ea.length),
          got: String(ga.length),
        });
      const n = Math.min(ea.length, ga.length);
      for (let i = 0; i < n; i++) walk(ea[i], ga[i], `${path}[${i}]`);
      return;
    }
    // Scalars: the dialect has strings only (a number where the recording has a string is structural,
    // and so is a non-string on both sides).
    if (te !== 'string') {
      structural.push({ kind: 'not a string', path, expected: show(e), got: show(g) });
      return;
    }
    if (e === g) return;
    claim({ kind: 'value', path, key: lastKey(path), expected: e as string, got: g as string });
  };

  walk(expected, got, '');
  return { structural, values };
}

/** One fixture's outcome: its request, our status, and the differences. */
export interface FixtureCheck extends Comparison {
  file: string;
  request: string;
  status: number;
}

/**
 * Requests a fixture's path from the facade (`fetchPath` gets `/ergast/f1/2023/…`) and compares the
 * answer with the recording. An answer that is not a 200 with a JSON body is one structural difference.
 */
export async function checkFixture(options: {
  file: string;
  recorded: unknown;
  fetchPath: (path: string) => Promise<Response>;
  rules: readonly ClassificationRule[];
  prefix?: string;
}): Promise<FixtureCheck> {
  const request = fixtureRequest(options.file);
  const response = await options.fetchPath(`${options.prefix ?? '/ergast/f1'}${request}`);
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status !== 200 || body === undefined) {
    return {
      file: options.file,
      request,
      status: response.status,
      structural: [
        {
          kind: 'type',
          path: '(answer)',
          expected: '200 JSON',
          got: `${response.status} ${text.slice(0, 120)}`,
        },
      ],
      values: [],
    };
  }
  return {
    file: options.file,
    request,
    status: response.status,
    ...compareErgast(options.recorded, body, { request, rules: options.rules }),
  };
}

/** The compact table of a contract run: files, structural differences, value differences by class. */
export function contractSummary(checks: readonly FixtureCheck[]): string {
  const values = checks.flatMap((c) => c.values);
  const byClass = (cls: ValueClass | null) => values.filter((v) => v.class === cls).length;
  const byRule = new Map<string, number>();
  for (const v of values) if (v.rule) byRule.set(v.rule, (byRule.get(v.rule) ?? 0) + 1);
  const row = (label: string, n: number | string) =>
    `  ${label.padEnd(52)} ${String(n).padStart(6)}`;
  return [
    'Ergast fixture contract',
    row('files compared', checks.length),
    row('files with structural differences', checks.filter((c) => c.structural.length).length),
    row(
      'structural differences',
      checks.reduce((n, c) => n + c.structural.length, 0),
    ),
    row('value differences: environment', byClass('environment')),
    row('value differences: data drift', byClass('data drift')),
    row('value differences: data not in the export', byClass('data not in the export')),
    row('value differences: UNCLASSIFIED', byClass(null)),
    '  by rule:',
    ...[...byRule].sort((a, b) => b[1] - a[1]).map(([rule, n]) => row(`    ${rule}`, n)),
  ].join('\n');
}
