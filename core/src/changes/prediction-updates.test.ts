import { describe, expect, test } from 'bun:test';
import {
  type PredictionUpdate,
  PredictionUpdateBus,
  parsePredictionUpdate,
  parsePredictionUpdates,
} from './prediction-updates.ts';

const update: PredictionUpdate = {
  season: 2024,
  round: 5,
  kind: 'accuracy',
  model: 'm',
  version: '1',
  backtest: false,
  at: '2024-05-05T12:00:00.000Z',
};

describe('parsePredictionUpdate', () => {
  test('round-trips a published update', () => {
    expect(parsePredictionUpdate(JSON.stringify(update))).toEqual(update);
  });
  test('fills optional fields and rejects malformed messages', () => {
    expect(
      parsePredictionUpdate('{"season":2024,"round":1,"kind":"predictions","at":"x"}'),
    ).toEqual({
      season: 2024,
      round: 1,
      kind: 'predictions',
      model: null,
      version: null,
      backtest: false,
      at: 'x',
    });
    expect(parsePredictionUpdate('not json')).toBeNull();
    expect(
      parsePredictionUpdate('{"season":"2024","round":1,"kind":"predictions","at":"x"}'),
    ).toBeNull();
    expect(parsePredictionUpdate('{"season":2024,"round":1,"kind":"other","at":"x"}')).toBeNull();
  });
});

describe('publishPredictionUpdates without Redis', () => {
  test('delivers to in-process listeners until they unsubscribe', async () => {
    const bus = new PredictionUpdateBus(null);
    const seen: PredictionUpdate[] = [];
    const off = bus.onLocal((u) => seen.push(u));
    await bus.publish([]);
    await bus.publish([update]);
    off();
    await bus.publish([update]);
    expect(seen).toEqual([update]);
    expect((await bus.since(update, '0-0')).map((e) => e.update)).toEqual([update, update]);
  });

  test('two buses keep their own listeners and logs (no module globals)', async () => {
    const a = new PredictionUpdateBus(null);
    const b = new PredictionUpdateBus(null);
    const seenB: PredictionUpdate[] = [];
    b.onLocal((u) => seenB.push(u));
    await a.publish([update]);
    expect(seenB).toEqual([]);
    expect(await b.since(update, '0-0')).toEqual([]);
    expect(await a.since(update, '0-0')).toHaveLength(1);
  });
});

test('without Redis, updates go to the peers too (in messages under the limit) and stay local', async () => {
  const published: string[] = [];
  const bus = new PredictionUpdateBus(null, { publish: async (m) => void published.push(m) });
  const local: PredictionUpdate[] = [];
  bus.onLocal((u) => local.push(u));
  const updates: PredictionUpdate[] = Array.from({ length: 200 }, (_, i) => ({
    season: 2024,
    round: (i % 24) + 1,
    kind: 'accuracy',
    model: `model-${i}`,
    version: '1',
    backtest: false,
    at: '2024-04-20T10:00:00.000Z',
  }));
  await bus.publish(updates);
  expect(local).toEqual(updates);
  expect(published.length).toBeGreaterThan(1);
  for (const m of published) expect(m.length).toBeLessThan(8_000);
  expect(published.flatMap((m) => parsePredictionUpdates(m) ?? [])).toEqual(updates);
  expect(parsePredictionUpdates('nope')).toBeNull();
  expect(parsePredictionUpdates('{}')).toBeNull();
});
