import { describe, expect, test } from 'bun:test';
import {
  type PredictionUpdate,
  PredictionUpdateBus,
  parsePredictionUpdate,
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
