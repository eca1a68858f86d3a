/**
 * The RaceTable endpoints (races, results, sprint, qualifying, laps, pit stops) against the recorded
 * real responses — `jolpica-fixtures` (2023, and careers) and `jolpica-fixtures-history` (2013–2024
 * seasons; career paths there need every season and are left to the full contract test) — on the real
 * export loaded for the seasons they need.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { testConfig } from '@f1/testkit/config';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';
import { diffAnswers, withoutKnownDrift } from './fixture-diff.ts';
import { FIXTURE_SEASONS, seedRecordedLaps } from './testing.ts';

const dataDir = findSharedDataDir();

interface Fixture {
  file: string;
  path: string;
  body: { MRData: Record<string, unknown> };
}

function fixtures(dir: string, folders: string[]): Fixture[] {
  const out: Fixture[] = [];
  for (const folder of folders) {
    if (!existsSync(path.join(dir, folder))) continue;
    for (const file of readdirSync(path.join(dir, folder)).sort()) {
      if (!file.includes('.json')) continue;
      out.push({
        file: `${folder}/${file}`,
        path: `/${file.replaceAll('@', '/').replace('^', '?')}`,
        body: JSON.parse(readFileSync(path.join(dir, folder, file), 'utf8')),
      });
    }
  }
  return out;
}

if (!dataDir) {
  skipSuite('Ergast facade endpoints against recorded responses', SHARED_DATA_MISSING);
} else {
  const fixtureDir = path.join(dataDir, 'ergast-json', 'jolpica-fixtures');
  const historyDir = path.join(dataDir, 'ergast-json', 'jolpica-fixtures-history');
  const folders = ['races', 'results', 'sprint', 'qualifying', 'pitstops', 'laps', '1'];
  const all = [
    ...fixtures(fixtureDir, folders),
    ...fixtures(historyDir, folders)
      .filter((f) => !/alonso|red_bull/.test(f.file))
      .map((f) => ({ ...f, file: `history/${f.file}` })),
  ];
  let database: TestDatabase;
  let app: ReturnType<typeof testApp>;

  beforeAll(async () => {
    database = await freshDatabase(preferredBackend());
    await loadCsvSeasons(database.db, { seasons: FIXTURE_SEASONS });
    await seedRecordedLaps(
      database.db,
      all
        .filter((f) => /(^|\/)laps\//.test(f.file) && f.path.includes('/laps'))
        .map((f) => f.body as never),
    );
    app = testApp(
      testServices({ database, config: testConfig({ F1_ERGAST_FACADE_RATE_LIMIT: '100000' }) }),
    );
  }, 120_000);
  afterAll(() => database?.close());

  const get = async (p: string) => {
    const res = await app.handle(new Request(`http://testserver/ergast/f1${p}`));
    return { status: res.status, body: (await res.json()) as { MRData: Record<string, unknown> } };
  };

  /**
   * Fixtures whose remaining differences are the export's, not the facade's (checked by hand against
   * the CSVs): their envelope, paging and echoed filters must still match; the differences are printed.
   */
  const DRIFT: Record<string, string> = {
    'results/2023@9@results.json': 'pit-lane starters: grid 0 in the export, the slot at Jolpica',
    'results/2023@grid@1@results.json':
      'US GP 2023: Leclerc (pole) disqualified in the export (D, no time), classified 20th at Jolpica',
    'results/2023@status@1@results.json':
      '"Finished" covers 304 rows in the export, 316 at Jolpica',
    'qualifying/2023@status@1@qualifying.json':
      'the same 304/316 "Finished" count: the total differs',
    'sprint/2023@sprint.json': 'Baku sprint: the export says W (did not start), Jolpica R',
    'qualifying/2023@qualifying@1.json':
      'Q1/Q2 times differ: the export has 44 part-toppers, Jolpica 41 (Jolpica stores per-part places: rounds 13 and 20)',
    '1/2023@qualifying@1.json': 'the same fixture as qualifying/2023@qualifying@1.json',
    'pitstops/2023@18@pitstops.json': "the export copies Leclerc's stop onto Ricciardo's row",
    // Recorded from ergast.com before Jolpica changed the semantics; we follow Jolpica (2023 fixtures).
    'history/qualifying/2015@qualifying.json':
      'Ergast paged qualifying by final position; Jolpica by the best place in any part',
    'history/qualifying/2015@qualifying@1.json':
      'Ergast: qualifying/1 is the pole sitter; Jolpica: the top of any of Q1, Q2, Q3',
  };

  /** Laps: the export has none; the recorded timings are seeded, so totals count those rows. */
  function lapsExpectation(fixture: Fixture, seeded: Map<string, number>): Fixture {
    if (!fixture.path.includes('/laps') || fixture.path.includes('qualifying')) return fixture;
    const [season, round] = fixture.path.split('/').slice(1, 3);
    const mr: Record<string, unknown> = { ...fixture.body.MRData, offset: '0' };
    if (!fixture.path.includes('/laps/')) mr.total = String(seeded.get(`${season}/${round}`));
    return { ...fixture, path: fixture.path.replace(/\?offset=\d+$/, ''), body: { MRData: mr } };
  }

  test('qualifying under a status filter pages a split race in race order (as jolpica)', async () => {
    // Page 1 of 2023 status/1 qualifying ends inside round 3 after two rows: jolpica's best-place key
    // is NULL under a status filter, so they are the race's first two finishers, not the best qualifiers.
    const { body } = await get('/2023/status/1/qualifying.json');
    const races = (
      body.MRData.RaceTable as {
        Races: { round: string; QualifyingResults: { Driver: { driverId: string } }[] }[];
      }
    ).Races;
    const round3 = races.find((r) => r.round === '3');
    expect(round3?.QualifyingResults.map((q) => q.Driver.driverId)).toEqual([
      'max_verstappen',
      'hamilton',
    ]);
    // Without a race-side filter the best place in any part still decides (Alonso was P2 in Q2).
    const plain = await get('/2023/3/qualifying.json?limit=2');
    const rows = (
      plain.body.MRData.RaceTable as {
        Races: { QualifyingResults: { Driver: { driverId: string } }[] }[];
      }
    ).Races[0]?.QualifyingResults;
    expect(rows?.map((q) => q.Driver.driverId)).toEqual(['max_verstappen', 'russell']);
  });

  test('every recorded path of the RaceTable endpoints answers as recorded', async () => {
    const seeded = new Map<string, number>();
    for (const f of all.filter(
      (f) => /(^|\/)laps\//.test(f.file) && !f.path.includes('qualifying'),
    )) {
      const [season, round] = f.path.split('/').slice(1, 3);
      const races = (f.body.MRData.RaceTable as { Races: { Laps: { Timings: unknown[] }[] }[] })
        .Races;
      const n = races.flatMap((r) => r.Laps).reduce((sum, lap) => sum + lap.Timings.length, 0);
      if (!f.path.includes('/laps/')) seeded.set(`${season}/${round}`, n);
    }
    const mismatches: string[] = [];
    const drift: string[] = [];
    for (const recorded of all) {
      const fixture = lapsExpectation(recorded, seeded);
      const { status, body } = await get(fixture.path);
      expect({ file: fixture.file, status }).toEqual({ file: fixture.file, status: 200 });
      const { xmlns: _x, url: _u, ...expected } = fixture.body.MRData;
      const { xmlns, url, ...actual } = body.MRData;
      expect(xmlns).toBe('');
      expect(url).toBe(
        `http://testserver/ergast/f1${fixture.path.replace(/\?.*$/, '')}`.toLowerCase(),
      );
      const diff = diffAnswers(withoutKnownDrift(expected), withoutKnownDrift(actual));
      const lines = [...diff.structure, ...diff.values];
      if (lines.length === 0) continue;
      if (DRIFT[fixture.file]) {
        drift.push(
          `${fixture.file} (${DRIFT[fixture.file]}):\n  ${lines.slice(0, 6).join('\n  ')}`,
        );
        const head = (mr: Record<string, unknown>) => {
          const table = Object.values(mr).find((v) => typeof v === 'object') as Record<
            string,
            unknown
          >;
          const echo = Object.fromEntries(
            Object.entries(table).filter(([, v]) => !Array.isArray(v)),
          );
          return { limit: mr.limit, offset: mr.offset, keys: Object.keys(mr), echo };
        };
        expect(head(actual)).toEqual(head(expected));
      } else mismatches.push(`${fixture.file}:\n  ${lines.slice(0, 10).join('\n  ')}`);
    }
    console.log(`data drift (export vs live source), not the facade:\n${drift.join('\n')}`);
    expect(mismatches).toEqual([]);
    expect(drift.length).toBeLessThanOrEqual(Object.keys(DRIFT).length);
  }, 120_000);
}
