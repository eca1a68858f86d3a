/**
 * The reference-table and standings endpoints against the recorded real responses
 * (../shared/data/ergast-json/jolpica-fixtures/{seasons,drivers,constructors,circuits,status,
 * driverstandings,constructorstandings}), on the whole Ergast export (1950–2024, 2025 to round 18).
 * Each fixture's table object is compared with ours: keys, key order, value types and list lengths
 * must be equal (no structural difference); differing values are listed and each must be known data
 * drift between the export and the live source (see DRIFT).
 * Needs ../shared/data (or F1_TEST_DATA_DIR); skipped with a printed reason when absent.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readCsvFile } from '@f1/jobs/sources/ergast-csv/parse-csv';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';
import { type Endpoint, ErgastPathError, parseErgastPaging, parseErgastPath } from '../query.ts';
import type { EndpointHandler, ErgastRequest } from '../types.ts';
import { circuits } from './circuits.ts';
import { constructors } from './constructors.ts';
import { drivers } from './drivers.ts';
import { seasons } from './seasons.ts';
import { constructorStandings, driverStandings } from './standings.ts';
import { status } from './status.ts';

const HANDLERS: Partial<Record<Endpoint, EndpointHandler>> = {
  seasons,
  drivers,
  constructors,
  circuits,
  status,
  driverstandings: driverStandings,
  constructorstandings: constructorStandings,
};

/** A fixture file name (`2023@5@seasons.json^limit=2`) as a request. */
function fixtureRequest(file: string): ErgastRequest {
  const [pathPart = '', query = ''] = file.replaceAll('@', '/').split('^');
  const parsed = parseErgastPath(`/${pathPart}`);
  const paging = parseErgastPaging(new URLSearchParams(query));
  if (parsed.season === 'current' || typeof parsed.round === 'string')
    throw new Error(`${file}: relative season/round is the caller's`);
  return { ...parsed, ...paging, season: parsed.season, round: parsed.round };
}

interface Difference {
  path: string;
  expected: unknown;
  actual: unknown;
}

/** Fields the dialect leaves out when there is no value. */
const OPTIONAL = new Set([
  'url',
  'permanentNumber',
  'code',
  'dateOfBirth',
  'nationality',
  'lat',
  'long',
]);

const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** Structural differences (keys, order, types, lengths) and value differences of two JSON values. */
function compare(expected: unknown, actual: unknown, at = '') {
  const structural: Difference[] = [];
  const values: Difference[] = [];
  const walk = (e: unknown, a: unknown, p: string): void => {
    if (kind(e) !== kind(a)) {
      structural.push({ path: p, expected: kind(e), actual: kind(a) });
      return;
    }
    if (Array.isArray(e) && Array.isArray(a)) {
      // How many rows there are is data (drift), not shape.
      if (e.length !== a.length)
        values.push({ path: `${p}.length`, expected: e.length, actual: a.length });
      for (let i = 0; i < Math.min(e.length, a.length); i++) walk(e[i], a[i], `${p}[${i}]`);
      return;
    }
    if (kind(e) === 'object') {
      const ek = Object.keys(e as object);
      const ak = Object.keys(a as object);
      // An optional field the data lacks is absent: drift when the rest keeps the order.
      const missing = ek.filter((k) => !ak.includes(k));
      const keptOrder = ek.filter((k) => ak.includes(k)).join() === ak.join();
      if (keptOrder && missing.length > 0 && missing.every((k) => OPTIONAL.has(k)))
        values.push({ path: `${p}{absent}`, expected: missing.join(), actual: undefined });
      else if (ek.join() !== ak.join())
        structural.push({ path: `${p}{keys}`, expected: ek.join(), actual: ak.join() });
      for (const k of ek)
        if (k in (a as object))
          walk((e as Record<string, unknown>)[k], (a as Record<string, unknown>)[k], `${p}.${k}`);
      return;
    }
    if (e !== a) values.push({ path: p, expected: e, actual: a });
  };
  walk(expected, actual, at);
  return { structural, values };
}

const dataDir = findSharedDataDir();

if (!dataDir) {
  skipSuite(
    'Ergast reference tables and standings against the recorded fixtures',
    SHARED_DATA_MISSING,
  );
} else {
  const fixturesDir = path.join(dataDir, 'ergast-json', 'jolpica-fixtures');
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase(preferredBackend());
    await loadCsvSeasons(database.db);
    const csv = (name: string) => readCsvFile(path.join(dataDir, 'ergast-csv', `${name}.csv`));
    // The export's status vocabulary and season pages (the importer does not write them yet).
    await database.db
      .insertInto('statuses')
      .values(csv('status').map((r) => ({ id: Number(r.statusId), status: r.status ?? '' })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    await database.db
      .insertInto('seasons')
      .values(csv('seasons').map((r) => ({ year: Number(r.year), url: r.url ?? null })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }, 120_000);
  const drift: (Difference & { file: string })[] = [];
  afterAll(async () => {
    await database?.close();
    console.log(`data drift (export vs live source), ${drift.length} values:`);
    for (const d of drift)
      console.log(
        `  ${d.file} ${d.path}: source ${JSON.stringify(d.expected)}, ours ${JSON.stringify(d.actual)}`,
      );
  });

  describe('requests the endpoints refuse (400 naming the segment)', () => {
    const refused = async (file: string) => {
      const request = fixtureRequest(file);
      const handler = HANDLERS[request.endpoint];
      try {
        await handler?.(database.db, request);
      } catch (error) {
        return error instanceof ErgastPathError
          ? [error.field, error.message]
          : ['?', String(error)];
      }
      return null;
    };
    test('standings without a season; a filter the endpoint has not', async () => {
      expect(await refused('driverstandings.json')).toEqual([
        'season',
        'season: required for driverstandings',
      ]);
      expect(await refused('2023@constructors@red_bull@driverstandings.json')).toEqual([
        'constructors',
        'constructors: not a filter of the driverstandings endpoint',
      ]);
      expect(await refused('2023@drivers@alonso@constructorstandings.json')).toEqual([
        'drivers',
        'drivers: not a filter of the constructorstandings endpoint',
      ]);
      expect(await refused('2023@1@laps@5@drivers.json')).toEqual([
        'laps',
        'laps: not a filter of the drivers endpoint',
      ]);
    });
    test('constructors’ standings before 1958 are an empty list, from 1958 they exist', async () => {
      const before = await constructorStandings(
        database.db,
        fixtureRequest('1957@constructorstandings.json'),
      );
      expect([before.total, before.table]).toEqual([0, { season: '1957', StandingsLists: [] }]);
      const after = await constructorStandings(
        database.db,
        fixtureRequest('1958@constructorstandings.json'),
      );
      expect(after.total).toBeGreaterThan(0);
    });
  });

  describe('Ergast reference tables and standings against the recorded fixtures', () => {
    for (const folder of Object.keys(HANDLERS)) {
      for (const file of readdirSync(path.join(fixturesDir, folder)).sort()) {
        test(`${folder}/${file}`, async () => {
          const recorded = JSON.parse(readFileSync(path.join(fixturesDir, folder, file), 'utf8'));
          const mrdata = recorded.MRData as Record<string, unknown>;
          const request = fixtureRequest(file);
          const handler = HANDLERS[request.endpoint];
          if (!handler) throw new Error(`${file}: endpoint ${request.endpoint} is not ours`);
          const answer = await handler(database.db, request);
          const tableName = Object.keys(mrdata).find((k) => k.endsWith('Table')) ?? '';
          if (tableName === 'StatusTable') {
            // ergast.com listed statuses by id; Jolpica (and we) by count, then text. Jolpica's own
            // fixture test re-sorts the ergast.com recordings the same way.
            const table = mrdata[tableName] as { Status: { count: string; status: string }[] };
            table.Status.sort(
              (a, b) => Number(b.count) - Number(a.count) || (a.status < b.status ? -1 : 1),
            );
          }
          expect(answer.tableName).toBe(tableName as typeof answer.tableName);
          const { structural, values } = compare(
            { total: mrdata.total, table: mrdata[tableName] },
            { total: String(answer.total), table: answer.table },
          );
          expect(structural).toEqual([]);
          drift.push(...values.map((v) => ({ file: `${folder}/${file}`, ...v })));
        });
      }
    }
  });
}
