import { describe, expect, test } from 'bun:test';
import {
  onLocalPredictionUpdate,
  type PredictionUpdate,
  parsePredictionUpdate,
  publishPredictionUpdates,
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
    const seen: PredictionUpdate[] = [];
    const off = onLocalPredictionUpdate((u) => seen.push(u));
    await publishPredictionUpdates(null, []);
    await publishPredictionUpdates(null, [update]);
    off();
    await publishPredictionUpdates(null, [update]);
    expect(seen).toEqual([update]);
  });
});
