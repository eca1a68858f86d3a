import { beforeAll, expect, test } from 'bun:test';
import type { ChangedRace } from '@f1/core/changes/data-changes';
import type { PredictionUpdate } from '@f1/core/changes/prediction-updates';
import { silentLogger } from '@f1/core/logger';
import { accuracyByRace, accuracyLeaderboard } from '@f1/db/accuracy/accuracy';
import { submitPredictionSets } from '@f1/db/predictions/submit';
import type { DB } from '@f1/db/schema';
import { describeEachBackend } from '@f1/testkit/backends';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import {
  entriesFor,
  type PredictionFixture,
  seedPredictionRaces,
} from '@f1/testkit/fixtures/predictions';
import type { Kysely } from 'kysely';
import { createProcessChanges } from './data-changes.ts';

/** Reports changed results to a fresh pipeline (what an ingest does); returns the events published. */
async function resultsChanged(db: Kysely<DB>, races: ChangedRace[]): Promise<PredictionUpdate[]> {
  const process = createProcessChanges({ db, logger: silentLogger, redis: null });
  const seen: PredictionUpdate[] = [];
  process.predictionUpdates.onLocal((u) => seen.push(u));
  const report = await process.changes.changed([{ kind: 'results', races }]);
  expect(report.steps.filter((s) => !s.ok)).toEqual([]);
  return seen;
}

/**
 * A backtest set for round 2 predicting A, B, C, D (win 0.4/0.3/0.2/0.1, podium 0.9/0.8/0.7/0.6);
 * round 2 finished B, C, A, D. By hand: winner hit no, podium overlap 3, MAE 1, Spearman 0.4,
 * Brier win 0.16 + 0.49 + 0.04 + 0.01 = 0.70, Brier podium (0.01 + 0.04 + 0.09 + 0.36)/3 = 0.1667,
 * log loss −ln 0.3 = 1.2040.
 * After a penalty swaps B and C (C wins): Brier win 0.16 + 0.09 + 0.64 + 0.01 = 0.90, log loss
 * −ln 0.2 = 1.6094; Spearman: d = −2, 0, 2, 0 → 1 − 6·8/60 = 0.2.
 */
describeEachBackend('accuracy after results change', (database) => {
  let fx: PredictionFixture;
  const db = () => database().db;
  beforeAll(async () => {
    fx = await seedPredictionRaces(db());
    await submitPredictionSets(
      db(),
      [
        {
          season: MINI_SEASON,
          round: 2,
          model: 'hand',
          version: '1',
          backtest: true,
          stage: 'pre_qualifying',
          entries: entriesFor(),
        },
      ],
      { submittedBy: 'key:1' },
    );
  });

  test('results landing computes accuracy matching the hand computation, next to the grid baseline', async () => {
    const seen = await resultsChanged(db(), [
      { raceId: fx.races.r2, season: MINI_SEASON, round: 2 },
    ]);
    // Subscribers hear of the new accuracy of round 2 and of the new baseline predictions for round 3:
    // v2 (the default) and v1 beside it.
    expect(seen.map((u) => [u.kind, u.round, u.model, u.version])).toEqual([
      ['accuracy', 2, null, null],
      ['predictions', 3, 'elo-baseline', '2'],
      ['predictions', 3, 'elo-baseline', '1'],
    ]);
    const report = await accuracyByRace(db(), { season: MINI_SEASON, round: 2, backtest: true });
    const hand = report?.models.find((m) => m.model === 'hand');
    expect(hand).toMatchObject({
      backtest: true,
      stage: 'pre_qualifying',
      entries: 4,
      winnerHit: false,
      podiumOverlap: 3,
      top10Overlap: 4,
      meanAbsPositionError: 1,
    });
    expect(hand?.spearmanRho).toBeCloseTo(0.4, 9);
    expect(hand?.brierWin).toBeCloseTo(0.7, 9);
    expect(hand?.brierPodium).toBeCloseTo(0.5 / 3, 9);
    expect(hand?.logLossWin).toBeCloseTo(1.2039728, 6);
    // Grid baseline: round 2's grid equals its finishing order (B, C, A, D), so it ranks perfectly.
    expect(report?.baseline).toMatchObject({
      model: 'grid-baseline',
      winnerHit: true,
      spearmanRho: 1,
      meanAbsPositionError: 0,
    });
    // Backtests never show up as live.
    expect((await accuracyByRace(db(), { season: MINI_SEASON, round: 2 }))?.models).toEqual([]);
  });

  test('a changed result (penalty) recomputes the accuracy', async () => {
    const { b, c } = fx.drivers;
    await db()
      .updateTable('race_results')
      .set({ position_order: 99 })
      .where('race_id', '=', fx.races.r2)
      .where('driver_id', '=', b)
      .execute();
    await db()
      .updateTable('race_results')
      .set({ position_order: 1, position: 1 })
      .where('race_id', '=', fx.races.r2)
      .where('driver_id', '=', c)
      .execute();
    await db()
      .updateTable('race_results')
      .set({ position_order: 2, position: 2 })
      .where('race_id', '=', fx.races.r2)
      .where('driver_id', '=', b)
      .execute();
    await resultsChanged(db(), [{ raceId: fx.races.r2, season: MINI_SEASON, round: 2 }]);
    const hand = (await accuracyByRace(db(), { season: MINI_SEASON, round: 2, backtest: true }))
      ?.models[0];
    expect(hand?.brierWin).toBeCloseTo(0.9, 9);
    expect(hand?.logLossWin).toBeCloseTo(-Math.log(0.2), 9);
    expect(hand?.spearmanRho).toBeCloseTo(0.2, 9);
    const rows = await db()
      .selectFrom('prediction_accuracy')
      .select('model')
      .where('race_id', '=', fx.races.r2)
      .execute();
    expect(rows.map((r) => r.model).sort()).toEqual(['grid-baseline', 'hand']);
  });

  test('ratings are recomputed and the next race gets an elo-baseline prediction', async () => {
    const ratings = await db().selectFrom('driver_ratings').select('race_id').execute();
    expect(ratings).toHaveLength(8);
    const sets = await db()
      .selectFrom('prediction_sets')
      .select(['race_id', 'version', 'stage', 'backtest', 'submitted_by', 'superseded_at'])
      .where('model', '=', 'elo-baseline')
      .orderBy('id')
      .execute();
    // The penalty moved the ratings (v1) and the results v2 learns from, so the second run replaced
    // both versions' first predictions (kept as history).
    expect(
      sets.map((s) => [
        s.race_id,
        s.version,
        s.stage,
        s.backtest,
        s.submitted_by,
        s.superseded_at === null,
      ]),
    ).toEqual([
      [fx.upcoming.r3, '2', 'pre_qualifying', false, 'system', false],
      [fx.upcoming.r3, '1', 'pre_qualifying', false, 'system', false],
      [fx.upcoming.r3, '2', 'pre_qualifying', false, 'system', true],
      [fx.upcoming.r3, '1', 'pre_qualifying', false, 'system', true],
    ]);
  });

  test('the leaderboard ranks the backtest model with its sample size next to the baseline', async () => {
    const board = await accuracyLeaderboard(db(), { season: MINI_SEASON, backtest: true });
    expect(board).toHaveLength(1);
    expect(board[0]).toMatchObject({ rank: 1, model: 'hand', races: 1, backtest: true });
    expect(board[0]?.brierWin).toBeCloseTo(0.9, 9);
    expect(board[0]?.baseline.races).toBe(1);
    expect(await accuracyLeaderboard(db(), { season: MINI_SEASON })).toEqual([]);
  });

  test('once round 3 finishes, the live leaderboard shows v2 and v1 side by side, each beside the grid', async () => {
    const { a, b, c, d } = fx.drivers;
    await db()
      .insertInto('race_results')
      .values(
        [c, a, d, b].map((driver, i) => ({
          race_id: fx.upcoming.r3,
          driver_id: driver,
          team_id: driver === a || driver === b ? fx.teams.t1 : fx.teams.t2,
          grid: i + 1,
          position: i + 1,
          position_order: i + 1,
          position_text: String(i + 1),
          points: 0,
          laps: 50,
          status: 'Finished',
        })),
      )
      .execute();
    const seen = await resultsChanged(db(), [
      { raceId: fx.upcoming.r3, season: MINI_SEASON, round: 3 },
    ]);
    // Round 4 (qualified in the fixture) is next: both versions predict it post-qualifying.
    expect(seen.filter((u) => u.kind === 'predictions').map((u) => [u.round, u.version])).toEqual([
      [4, '2'],
      [4, '1'],
    ]);
    const board = await accuracyLeaderboard(db(), { season: MINI_SEASON });
    expect(
      board
        .map((e) => [e.model, e.version, e.stage, e.races, e.baseline.races])
        .sort((x, y) => String(x[1]).localeCompare(String(y[1]))),
    ).toEqual([
      ['elo-baseline', '1', 'pre_qualifying', 1, 1],
      ['elo-baseline', '2', 'pre_qualifying', 1, 1],
    ]);
    expect(board.map((e) => e.rank).sort()).toEqual([1, 2]);
    // Each row's grid baseline is round 3's: its grid is the finishing order, so it ranks perfectly.
    for (const e of board) expect(e.baseline.spearmanRho).toBe(1);
    const v1 = board.find((e) => e.version === '1');
    const v2 = board.find((e) => e.version === '2');
    // Two distinct models were scored, not one set counted twice.
    expect(v2?.brierWin).not.toBe(v1?.brierWin);
  });
});

describeEachBackend('the pipeline from a results change', (database) => {
  test('scores the changed race (grid baseline) and replays the ratings', async () => {
    const mini = await seedPredictionRaces(database().db);
    await resultsChanged(database().db, [{ raceId: mini.races.r1, season: MINI_SEASON, round: 1 }]);
    const rows = await database()
      .db.selectFrom('prediction_accuracy')
      .select('model')
      .where('race_id', '=', mini.races.r1)
      .execute();
    expect(rows.map((r) => r.model)).toEqual(['grid-baseline']);
    const ratings = await database().db.selectFrom('driver_ratings').select('race_id').execute();
    expect(ratings).toHaveLength(8);
  });
});
