/**
 * The RaceTable endpoints (races, results, sprint, qualifying, laps, pit stops) against the history
 * recordings (`ergast-json/jolpica-fixtures-history`: 2013–2024 seasons; career paths there need every
 * season and are left out), which the full contract test (tests/ergast-contract.test.ts, jolpica-f1's
 * own fixtures) does not cover, on the real export loaded for the seasons they need. Compared with the
 * contract's comparator and rules (testkit/src/ergast-contract*.ts); plus behaviours worth naming.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { testConfig } from '@f1/testkit/config';
import { checkFixture } from '@f1/testkit/ergast-contract';
import { fixtureFiles, loadContractData, readFixture } from '@f1/testkit/ergast-contract-data';
import { ERGAST_CONTRACT_RULES } from '@f1/testkit/ergast-contract-rules';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';
import { findSharedDataDir, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';

/** The seasons the history recordings (and the behaviours below) need. */
const SEASONS = [2013, 2014, 2015, 2016, 2017, 2021, 2022, 2023, 2024];

const RACE_TABLE = /^(races|results|sprint|qualifying|pitstops|laps)\//;

/**
 * Recordings whose remaining differences are the source's, not the facade's: ergast.com recorded them
 * before Jolpica changed the semantics, and we follow Jolpica. Their envelope, paging and echoed
 * filters must still match: every difference lies inside the `Races` list, or is the `total`.
 */
const SEMANTICS_CHANGED: Record<string, string> = {
  'qualifying/2015@qualifying.json':
    'Ergast paged qualifying by final position; Jolpica by the best place in any part',
  'qualifying/2015@qualifying@1.json':
    'Ergast: qualifying/1 is the pole sitter; Jolpica: the top of any of Q1, Q2, Q3',
};

if (!findSharedDataDir()) {
  skipSuite('Ergast RaceTable endpoints against the history recordings', SHARED_DATA_MISSING);
} else {
  const files = fixtureFiles('jolpica-fixtures-history').filter(
    (f) => RACE_TABLE.test(f) && !/alonso|red_bull/.test(f),
  );
  let database: TestDatabase;
  let app: ReturnType<typeof testApp>;

  beforeAll(async () => {
    database = await freshDatabase(preferredBackend());
    await loadContractData(database.db, {
      seasons: SEASONS,
      lapsFrom: ['jolpica-fixtures', 'jolpica-fixtures-history'],
    });
    app = testApp(
      testServices({ database, config: testConfig({ F1_ERGAST_FACADE_RATE_LIMIT: '100000' }) }),
    );
  }, 120_000);
  afterAll(() => database?.close());

  const get = async (p: string) => {
    const res = await app.handle(new Request(`http://testserver/ergast/f1${p}`));
    return { status: res.status, body: (await res.json()) as { MRData: Record<string, unknown> } };
  };

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

  test('every history recording of the RaceTable endpoints answers as recorded', async () => {
    expect(files.length).toBeGreaterThan(20);
    const failures: string[] = [];
    const changed: string[] = [];
    for (const file of files) {
      const check = await checkFixture({
        file,
        recorded: readFixture(file, 'jolpica-fixtures-history'),
        fetchPath: (p) => app.handle(new Request(`http://testserver${p}`)),
        rules: ERGAST_CONTRACT_RULES,
      });
      const lines = [
        ...check.structural.map((d) => `${d.path}: ${d.kind} ${d.expected} → ${d.got}`),
        ...check.values
          .filter((v) => v.class === null)
          .map((v) => `${v.path}: "${v.expected}" → "${v.got}"`),
      ];
      const note = SEMANTICS_CHANGED[file];
      if (note) {
        changed.push(`${file} (${note}): ${lines.length} differences`);
        const outsideRaces = lines.filter((l) => !/^MRData\.(total:|RaceTable\.Races)/.test(l));
        if (check.status !== 200 || outsideRaces.length)
          failures.push(`${file}:\n  ${outsideRaces.slice(0, 10).join('\n  ')}`);
      } else if (lines.length) failures.push(`${file}:\n  ${lines.slice(0, 10).join('\n  ')}`);
    }
    console.log(`recorded before the source's semantics changed:\n  ${changed.join('\n  ')}`);
    expect(failures).toEqual([]);
  }, 120_000);
}
