/** Predictions, accuracy and ratings over the OpenAPI bridge (REST under /api/v1). */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { submitPredictionSets } from '@f1/db/predictions/submit';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { entriesFor, seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { jsonBody } from '@f1/testkit/http';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import { testApp, testServices } from '@f1/testkit/server';

let database: TestDatabase;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  database = await freshDatabase('pglite');
  const fx = await seedPredictionRaces(database.db);
  await submitPredictionSets(
    database.db,
    [
      {
        season: MINI_SEASON,
        round: 1,
        model: 'rest',
        version: '1',
        backtest: true,
        entries: entriesFor(),
      },
    ],
    { submittedBy: 'key:1' },
  );
  const services = testServices({ database });
  await services.changes.changed([
    {
      kind: 'results',
      races: [
        { raceId: fx.races.r1, season: MINI_SEASON, round: 1 },
        { raceId: fx.races.r2, season: MINI_SEASON, round: 2 },
      ],
    },
  ]);
  app = testApp(services);
}, 60_000);
afterAll(() => database.close());

const get = (path: string) => app.handle(new Request(`http://test.local/api/v1${path}`));

describe('predictions, accuracy and ratings over REST', () => {
  test('predictions: booleans in the query string; live and backtest kept apart', async () => {
    const backtests = await jsonBody<{
      sets: { model: string; backtest: boolean; submittedAt: string }[];
    }>(await get(`/seasons/${MINI_SEASON}/races/1/predictions?backtest=true`));
    expect(backtests.sets.map((s) => [s.model, s.backtest])).toEqual([['rest', true]]);
    expect(backtests.sets[0]?.submittedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const live = await jsonBody<{ sets: unknown[] }>(
      await get(`/seasons/${MINI_SEASON}/races/1/predictions`),
    );
    expect(live.sets).toEqual([]);
    expect((await get(`/seasons/${MINI_SEASON}/races/42/predictions`)).status).toBe(404);
    const models = await jsonBody<{ model: string }[]>(await get('/models'));
    expect(models.map((m) => m.model)).toEqual(['elo-baseline', 'rest']);
  });

  test('accuracy and leaderboard', async () => {
    const report = await jsonBody<{
      baseline: { model: string };
      models: { model: string; winnerHit: boolean }[];
    }>(await get(`/seasons/${MINI_SEASON}/races/1/accuracy?backtest=true`));
    expect(report.baseline.model).toBe('grid-baseline');
    expect(report.models).toEqual([expect.objectContaining({ model: 'rest', winnerHit: true })]);
    const board = await jsonBody<{ model: string; races: number }[]>(
      await get(`/accuracy/leaderboard?season=${MINI_SEASON}&backtest=true`),
    );
    expect(board.map((e) => [e.model, e.races])).toEqual([['rest', 1]]);
  });

  test('ratings and history; submission needs a principal', async () => {
    const drivers = await jsonBody<{ round: number; ratings: { id: string }[] }>(
      await get('/ratings/drivers'),
    );
    expect(drivers.round).toBe(2);
    expect(drivers.ratings).toHaveLength(4);
    const history = await jsonBody<{ history: { round: number }[] }>(
      await get('/ratings/history?driverId=driver_a'),
    );
    expect(history.history.map((h) => h.round)).toEqual([1, 2]);
    const post = await app.handle(
      new Request('http://test.local/api/v1/predictions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          season: MINI_SEASON,
          round: 3,
          model: 'x',
          version: '1',
          entries: entriesFor(),
        }),
      }),
    );
    expect(post.status).toBe(401);
  });
});
