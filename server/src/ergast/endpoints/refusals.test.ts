/**
 * The reference-table and standings endpoints' behaviours the fixture contract
 * (tests/ergast-contract.test.ts, which compares every recorded seasons/drivers/constructors/circuits/
 * status/standings answer) does not show: the 400s naming the refused segment, and constructors'
 * standings before the championship existed. On the export's 1957 and 1958 seasons.
 * Needs ../shared/data (or F1_TEST_DATA_DIR); skipped with a printed reason when absent.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';
import { ErgastPathError, parseErgastPaging, parseErgastPath } from '../query.ts';
import type { EndpointHandler, ErgastRequest } from '../types.ts';
import { ENDPOINT_HANDLERS } from './index.ts';
import { constructorStandings } from './standings.ts';

/** A fixture-style file name (`2023@5@seasons.json^limit=2`) as a request. */
function fileRequest(file: string): ErgastRequest {
  const [pathPart = '', query = ''] = file.replaceAll('@', '/').split('^');
  const parsed = parseErgastPath(`/${pathPart}`);
  const paging = parseErgastPaging(new URLSearchParams(query));
  if (parsed.season === 'current' || typeof parsed.round === 'string')
    throw new Error(`${file}: relative season/round is the caller's`);
  return { ...parsed, ...paging, season: parsed.season, round: parsed.round };
}

if (!findSharedDataDir()) {
  skipSuite('Ergast reference tables and standings', SHARED_DATA_MISSING);
} else {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase(preferredBackend());
    await loadCsvSeasons(database.db, { seasons: [1957, 1958] });
  }, 120_000);
  afterAll(() => database?.close());

  describe('requests the endpoints refuse (400 naming the segment)', () => {
    const refused = async (file: string) => {
      const request = fileRequest(file);
      const handler: EndpointHandler = ENDPOINT_HANDLERS[request.endpoint];
      try {
        await handler(database.db, request);
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
    test('laps and pit stops without a season or round; a filter a race endpoint has not', async () => {
      expect(await refused('laps.json')).toEqual(['season', 'season: required for laps']);
      expect(await refused('2023@pitstops.json')).toEqual([
        'round',
        'round: required for pitstops',
      ]);
      expect(await refused('2023@5@pitstops@1@laps.json')).toEqual([
        'pitstops',
        'pitstops: not a filter of the laps endpoint',
      ]);
      expect(await refused('2023@driverstandings@1@results.json')).toEqual([
        'driverstandings',
        'driverstandings: not a filter of the results endpoint',
      ]);
    });
    test('constructors’ standings before 1958 are an empty list, from 1958 they exist', async () => {
      const before = await constructorStandings(
        database.db,
        fileRequest('1957@constructorstandings.json'),
      );
      expect([before.total, before.table]).toEqual([0, { season: '1957', StandingsLists: [] }]);
      const after = await constructorStandings(
        database.db,
        fileRequest('1958@constructorstandings.json'),
      );
      expect(after.total).toBeGreaterThan(0);
    });
  });
}
