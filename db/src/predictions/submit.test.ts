import { beforeAll, expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import {
  entriesFor,
  FIELD,
  type PredictionFixture,
  seedPredictionRaces,
} from '@f1/testkit/fixtures/predictions';
import { PredictionError } from './errors.ts';
import { listModels, listPredictions } from './predictions.ts';
import { freezeTime, type PredictionSetInput, submitPredictionSets } from './submit.ts';

const live = (round: number, extra: Partial<PredictionSetInput> = {}): PredictionSetInput => ({
  season: MINI_SEASON,
  round,
  model: 'm',
  version: '1',
  entries: entriesFor(),
  ...extra,
});

async function rejection(run: () => Promise<unknown>): Promise<PredictionError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof PredictionError) return error;
    throw error;
  }
  throw new Error('expected a PredictionError');
}

describeEachBackend('submitPredictionSets', (database) => {
  let fx: PredictionFixture;
  const db = () => database().db;
  const by = { submittedBy: 'key:1' };
  beforeAll(async () => {
    fx = await seedPredictionRaces(db());
  });

  test('stores a set with one row per driver; stage defaults from whether qualifying is known', async () => {
    const [pre] = await submitPredictionSets(db(), [live(3)], by);
    const [post] = await submitPredictionSets(
      db(),
      [live(4, { entries: entriesFor([...FIELD].reverse()) })],
      by,
    );
    expect(pre).toMatchObject({
      status: 'created',
      stage: 'pre_qualifying',
      entryCount: 4,
      backtest: false,
    });
    expect(post).toMatchObject({ status: 'created', stage: 'post_qualifying', round: 4 });
    const rows = await db()
      .selectFrom('predictions')
      .select(['driver_id', 'predicted_position', 'win_probability'])
      .where('set_id', '=', pre?.setId ?? 0)
      .orderBy('predicted_position')
      .execute();
    expect(rows).toEqual([
      { driver_id: fx.drivers.a, predicted_position: 1, win_probability: 0.4 },
      { driver_id: fx.drivers.b, predicted_position: 2, win_probability: 0.3 },
      { driver_id: fx.drivers.c, predicted_position: 3, win_probability: 0.2 },
      { driver_id: fx.drivers.d, predicted_position: 4, win_probability: 0.1 },
    ]);
  });

  test('a retry with the same idempotency key is a no-op returning the original', async () => {
    const input = live(3, { model: 'idem', idempotencyKey: 'k-1' });
    const [first] = await submitPredictionSets(db(), [input], by);
    const [again] = await submitPredictionSets(db(), [input], by);
    expect(again).toEqual({ ...(first as NonNullable<typeof first>), status: 'unchanged' });
    const count = await db()
      .selectFrom('prediction_sets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('model', '=', 'idem')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    // The key is the submitter's: reusing it for other content is a conflict, not an overwrite.
    const conflict = await rejection(() =>
      submitPredictionSets(db(), [{ ...input, entries: entriesFor(FIELD, 0.05) }], by),
    );
    expect(conflict.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(conflict.message).toContain("idempotencyKey: 'k-1' was already used");
  });

  test('without a key, the same snapshot again is a no-op (natural key)', async () => {
    const [first] = await submitPredictionSets(db(), [live(3, { model: 'natural' })], by);
    const reordered = live(3, { model: 'natural', entries: entriesFor().reverse() });
    const [again] = await submitPredictionSets(db(), [reordered], by);
    expect(again?.status).toBe('unchanged');
    expect(again?.setId).toBe(first?.setId ?? -1);
  });

  test('a new snapshot before the race supersedes the live set and keeps it as history', async () => {
    const [first] = await submitPredictionSets(db(), [live(3, { model: 'resub' })], by);
    const [second] = await submitPredictionSets(
      db(),
      [live(3, { model: 'resub', entries: entriesFor(FIELD, 0.05) })],
      by,
    );
    expect(second).toMatchObject({ status: 'replaced', replacedSetId: first?.setId ?? -1 });
    const current = await listPredictions(db(), { season: MINI_SEASON, round: 3, model: 'resub' });
    expect(current?.sets.map((s) => s.setId)).toEqual([second?.setId ?? -1]);
    expect(current?.sets[0]?.entries[0]).toMatchObject({
      driverId: 'driver_a',
      winProbability: 0.45,
    });
    const history = await listPredictions(db(), {
      season: MINI_SEASON,
      round: 3,
      model: 'resub',
      history: true,
    });
    expect(history?.sets.map((s) => [s.setId, s.supersededAt === null])).toEqual([
      [second?.setId ?? -1, true],
      [first?.setId ?? -1, false],
    ]);
  });

  test('live predictions freeze at the scheduled start; backtests do not and stay apart', async () => {
    const start = fx.future;
    const justBefore = new Date(start.getTime() - 1);
    const [ok] = await submitPredictionSets(db(), [live(3, { model: 'freeze' })], {
      ...by,
      now: justBefore,
    });
    expect(ok?.status).toBe('created');
    const frozen = await rejection(() =>
      submitPredictionSets(db(), [live(3, { model: 'freeze', entries: entriesFor(FIELD, 0.05) })], {
        ...by,
        now: start,
      }),
    );
    expect(frozen.code).toBe('FROZEN');
    expect(frozen.message).toContain(
      `frozen since the race's scheduled start (${start.toISOString()})`,
    );
    // A race with results is over whatever its clock says.
    expect((await rejection(() => submitPredictionSets(db(), [live(1)], by))).code).toBe('FROZEN');

    const [bt] = await submitPredictionSets(
      db(),
      [live(1, { model: 'freeze', backtest: true })],
      by,
    );
    expect(bt).toMatchObject({ status: 'created', backtest: true, stage: 'post_qualifying' });
    const liveView = await listPredictions(db(), { season: MINI_SEASON, round: 1 });
    expect(liveView?.sets).toEqual([]);
    const backtests = await listPredictions(db(), {
      season: MINI_SEASON,
      round: 1,
      backtest: true,
    });
    expect(backtests?.sets.map((s) => [s.model, s.backtest])).toEqual([['freeze', true]]);
  });

  test('freezeTime falls back to the start of race day when no start time is known', () => {
    expect(freezeTime({ starts_at: null, date: '1950-05-13' }).toISOString()).toBe(
      '1950-05-13T00:00:00.000Z',
    );
  });

  test('drivers must be entered: results, then qualifying, then the previous race of the season', async () => {
    // Round 4's entry list is its qualifying (A–D); an unknown driver is named.
    const wrong = entriesFor(['driver_a', 'driver_b', 'driver_c', 'nobody']);
    const error = await rejection(() =>
      submitPredictionSets(db(), [live(4, { entries: wrong })], by),
    );
    expect(error.code).toBe('INVALID');
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(['entries.3.driverId', 'entries']);
    expect(error.message).toContain(
      "entries[3].driverId: driver 'nobody' is not entered in this race",
    );
  });

  test('a race with no known entry list is refused with a clear reason', async () => {
    const next = await db()
      .insertInto('races')
      .values({
        season: 2022,
        round: 1,
        circuit_id: fx.circuitId,
        name: 'Opener',
        date: '2099-03-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const error = await rejection(() =>
      submitPredictionSets(db(), [live(1, { season: 2022 })], by),
    );
    expect(error.code).toBe('ENTRY_LIST_UNKNOWN');
    expect(error.message).toContain('2022 round 1 is not known yet');
    await db().deleteFrom('races').where('id', '=', next.id).execute();
  });

  test('unknown races and built-in model names are refused', async () => {
    const missing = await rejection(() => submitPredictionSets(db(), [live(9)], by));
    expect(missing).toMatchObject({ code: 'RACE_NOT_FOUND', message: 'no race 2021 round 9' });
    const reserved = await rejection(() =>
      submitPredictionSets(db(), [live(3, { model: 'elo-baseline' })], by),
    );
    expect(reserved.code).toBe('RESERVED_MODEL');
    const [system] = await submitPredictionSets(db(), [live(3, { model: 'elo-baseline' })], {
      submittedBy: 'system',
    });
    expect(system?.status).toBe('created');
  });

  test('bulk: all or nothing, errors name the set, one result per set in order', async () => {
    const sets = [
      live(3, { model: 'bulk' }),
      live(4, { model: 'bulk', entries: entriesFor([...FIELD].reverse()) }),
      live(1, { model: 'bulk', backtest: true }),
      live(2, {
        model: 'bulk',
        backtest: true,
        entries: entriesFor(['driver_b', 'driver_c', 'driver_a', 'driver_d']),
      }),
    ];
    const bad = sets.map((s, i) =>
      i === 2 ? { ...s, entries: s.entries.map((e) => ({ ...e, predictedPosition: 1 })) } : s,
    );
    const error = await rejection(() => submitPredictionSets(db(), bad, { ...by, path: ['sets'] }));
    expect(error.message).toStartWith(
      'sets[2].entries[1].predictedPosition: position 1 is used twice',
    );
    const stored = await db()
      .selectFrom('prediction_sets')
      .select('id')
      .where('model', '=', 'bulk')
      .execute();
    expect(stored).toEqual([]);

    const results = await submitPredictionSets(db(), sets, { ...by, path: ['sets'] });
    expect(results.map((r) => [r.round, r.status, r.backtest])).toEqual([
      [3, 'created', false],
      [4, 'created', false],
      [1, 'created', true],
      [2, 'created', true],
    ]);
    const again = await submitPredictionSets(db(), sets, { ...by, path: ['sets'] });
    expect(again.map((r) => r.status)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    const dup = await rejection(() =>
      submitPredictionSets(
        db(),
        [sets[0], sets[0]].flatMap((s) => (s ? [s] : [])),
        { ...by, path: ['sets'] },
      ),
    );
    expect(dup.message).toBe('sets[1]: repeats sets[0] (same race, model, version, stage)');
  });

  test('models lists versions with live and backtest coverage', async () => {
    const models = await listModels(db());
    const bulk = models.find((m) => m.model === 'bulk');
    expect(bulk).toMatchObject({
      builtIn: false,
      versions: [
        {
          version: '1',
          liveRaces: 2,
          backtestRaces: 2,
          stages: ['post_qualifying', 'pre_qualifying'],
        },
      ],
    });
    expect(models.find((m) => m.model === 'elo-baseline')?.builtIn).toBe(true);
  });
});
