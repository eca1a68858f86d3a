import { beforeAll, expect, test } from 'bun:test';
import { fieldForPrediction } from '@f1/db/predictions/baseline-inputs';
import { listPredictions } from '@f1/db/predictions/predictions';
import { describeEachBackend } from '@f1/testkit/backends';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { type PredictionFixture, seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { loadHistory } from './history.ts';
import { predictNextRace } from './live.ts';
import { ELO_BASELINE_VERSION } from './model.ts';
import { V2Forecaster } from './v2/forecaster.ts';

describeEachBackend('elo-baseline live predictions', (database) => {
  let fx: PredictionFixture;
  const db = () => database().db;
  const stored = async (version: string, stage: 'pre_qualifying' | 'post_qualifying') =>
    (
      await listPredictions(db(), {
        season: MINI_SEASON,
        round: 3,
        model: 'elo-baseline',
        version,
        stage,
      })
    )?.sets ?? [];
  const win = (entries: { driverId: string; winProbability: number }[] | undefined, id: string) =>
    entries?.find((e) => e.driverId === id)?.winProbability ?? 0;
  beforeAll(async () => {
    fx = await seedPredictionRaces(db());
    // Ratings as if recomputed: D strongest, A weakest.
    for (const [driver, rating] of [
      [fx.drivers.a, 1400],
      [fx.drivers.b, 1500],
      [fx.drivers.c, 1550],
      [fx.drivers.d, 1700],
    ] as const) {
      await db()
        .updateTable('drivers')
        .set({ elo_rating: rating })
        .where('id', '=', driver)
        .execute();
    }
  });

  test('v2 is the default version', () => {
    expect(ELO_BASELINE_VERSION).toBe('2');
  });

  test('before qualifying: pre-qualifying sets of v2 and v1; a rerun is a no-op', async () => {
    const first = await predictNextRace(db());
    expect(first.map((s) => [s.round, s.version, s.stage, s.status, s.backtest])).toEqual([
      [3, '2', 'pre_qualifying', 'created', false],
      [3, '1', 'pre_qualifying', 'created', false],
    ]);
    expect((await predictNextRace(db())).map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
    const [v1] = await stored('1', 'pre_qualifying');
    expect(v1?.entries.map((e) => e.driverId)).toEqual([
      'driver_d',
      'driver_c',
      'driver_b',
      'driver_a',
    ]);
    // v2 learns from the two finished races itself (not from the stored ELO): a whole field of
    // probabilities, winners summing to one, podium at least the win.
    const v2Sets = await stored('2', 'pre_qualifying');
    expect(v2Sets).toHaveLength(1);
    const v2 = v2Sets[0]?.entries ?? [];
    expect(v2.map((e) => e.driverId).sort()).toEqual([
      'driver_a',
      'driver_b',
      'driver_c',
      'driver_d',
    ]);
    expect(v2.map((e) => e.predictedPosition).sort()).toEqual([1, 2, 3, 4]);
    expect(v2.reduce((s, e) => s + e.winProbability, 0)).toBeCloseTo(1, 4);
    for (const e of v2) expect(e.podiumProbability).toBeGreaterThanOrEqual(e.winProbability);
    // Not v1's numbers under another name.
    expect(v2.map((e) => e.winProbability)).not.toEqual(v1?.entries.map((e) => e.winProbability));
  });

  test('the field carries each driver team: the latest race before qualifying, then qualifying', async () => {
    const teams = async () =>
      (await fieldForPrediction(db(), fx.upcoming.r3)).map((f) => [f.driverId, f.teamId]);
    const { a, b, c, d } = fx.drivers;
    const { t1, t2 } = fx.teams;
    expect(await teams()).toEqual([
      [a, t1],
      [b, t1],
      [c, t2],
      [d, t2],
    ]);
    // A on pole, D last; B qualifies for team two (a mid-season move).
    await db()
      .insertInto('qualifying_results')
      .values(
        [a, b, c, d].map((driver, i) => ({
          race_id: fx.upcoming.r3,
          driver_id: driver,
          team_id: driver === b ? t2 : driver === a ? t1 : null,
          position: i + 1,
        })),
      )
      .execute();
    expect(await teams()).toEqual([
      [a, t1],
      [b, t2],
      [c, t2],
      [d, t2],
    ]);
  });

  test('after qualifying: post-qualifying sets of both versions that use the grid', async () => {
    const post = await predictNextRace(db());
    expect(post.map((s) => [s.round, s.version, s.stage, s.status])).toEqual([
      [3, '2', 'post_qualifying', 'created'],
      [3, '1', 'post_qualifying', 'created'],
    ]);
    for (const version of ['1', '2']) {
      const [pre] = await stored(version, 'pre_qualifying');
      const [after] = await stored(version, 'post_qualifying');
      // A on pole: the grid pulls A up in both versions.
      expect(win(after?.entries, 'driver_a')).toBeGreaterThan(win(pre?.entries, 'driver_a'));
    }
    expect((await predictNextRace(db())).map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
  });

  test('nothing to predict once every race is frozen', async () => {
    expect(await predictNextRace(db(), { now: new Date(fx.future.getTime() + 1) })).toEqual([]);
  });
});

describeEachBackend('elo-baseline v2 live: where the walk-forward stands', (database) => {
  const db = () => database().db;

  test('refitted on the earlier seasons, then this season online: the backtest prediction', async () => {
    const fx = await seedPredictionRaces(db());
    const { a, b, c, d } = fx.drivers;
    const { t1, t2 } = fx.teams;
    // A season before: D, C, B, A — the opposite of the ELO-free mini season's leaders.
    const earlier = await db()
      .insertInto('races')
      .values({
        season: MINI_SEASON - 1,
        round: 1,
        circuit_id: fx.circuitId,
        name: 'Earlier GP',
        date: `${MINI_SEASON - 1}-05-01`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('race_results')
      .values(
        [d, c, b, a].map((driver, i) => ({
          race_id: earlier.id,
          driver_id: driver,
          team_id: driver === a || driver === b ? t1 : t2,
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
    const [v2] = await predictNextRace(db());
    expect(v2).toMatchObject({ season: MINI_SEASON, round: 3, version: '2', status: 'created' });

    // The backtest's walk-forward: predict each race, then observe it; refits at 2021's first race.
    const walk = new V2Forecaster();
    for (const race of await loadHistory(db())) {
      walk.predict({ ...race, field: race.results });
      walk.observe(race);
    }
    expect(walk.refits.map((r) => r.season)).toEqual([MINI_SEASON]);
    const field = await fieldForPrediction(db(), fx.upcoming.r3);
    const expected = walk.predict({
      raceId: fx.upcoming.r3,
      season: MINI_SEASON,
      round: 3,
      field: field.map((f) => ({ driverId: f.driverId, teamId: f.teamId, grid: f.grid })),
    }).pre;
    const ref = new Map(field.map((f) => [f.driverId, f.driverRef]));
    const [set] = await stored(db, 'pre_qualifying');
    expect(set?.entries).toHaveLength(4);
    for (const e of expected) {
      const got = set?.entries.find((x) => x.driverId === ref.get(e.driverId));
      expect(got?.predictedPosition).toBe(e.predictedPosition);
      expect(got?.winProbability).toBeCloseTo(e.winProbability, 5);
      expect(got?.podiumProbability).toBeCloseTo(
        Math.max(e.podiumProbability, e.winProbability),
        5,
      );
    }
  });
});

const stored = async (
  db: () => import('kysely').Kysely<import('@f1/db/schema').DB>,
  stage: 'pre_qualifying' | 'post_qualifying',
) =>
  (
    await listPredictions(db(), {
      season: MINI_SEASON,
      round: 3,
      model: 'elo-baseline',
      version: '2',
      stage,
    })
  )?.sets ?? [];
