import { describe, expect, test } from 'bun:test';
import { type HistoryRace, preRaceView, replay } from './backtest.ts';
import { buildReport, formatReport, formatTable, jsonReport } from './report.ts';

const statuses = ['Finished', 'Finished', 'Engine', 'Collision'];

/** Deterministic synthetic history: 4 drivers, `seasons` × 3 races, finishing orders from a seed. */
function history(seasons: number[], seed = 1): HistoryRace[] {
  let x = seed;
  const next = () => {
    x = (x * 16807) % 2147483647;
    return x;
  };
  return seasons.flatMap((season) =>
    [1, 2, 3].map((round) => {
      const order = [1, 2, 3, 4].sort(() => (next() % 2 ? 1 : -1));
      const grid = [...order].sort(() => (next() % 2 ? 1 : -1));
      return {
        raceId: season * 10 + round,
        season,
        round,
        results: order.map((driverId, i) => ({
          driverId,
          teamId: driverId <= 2 ? 10 : 20,
          grid: grid.indexOf(driverId) + 1,
          position: i < 2 ? i + 1 : null,
          positionOrder: i + 1,
          status: statuses[i] ?? null,
        })),
      };
    }),
  );
}

const predictionsOf = (races: HistoryRace[], from: number, to: number) =>
  replay(races, { from, to }).map((r) => ({ race: r.view.raceId, predictions: r.predictions }));

describe('backtest replay', () => {
  const past = history([2001, 2002, 2003]);

  test('a model sees only entrants and grid slots, never results', () => {
    const view = preRaceView(past[0] as HistoryRace);
    expect(Object.keys(view.field[0] ?? {}).sort()).toEqual(['driverId', 'grid', 'teamId']);
    expect(JSON.stringify(view)).not.toContain('position');
  });

  test('refuses to use future data: changing a race and everything after it leaves its prediction unchanged', () => {
    const baseline = predictionsOf(past, 2002, 2003);
    // Rewrite the last race's result and add a whole later season: no earlier prediction may move,
    // and the last race's own prediction must not move either (it is made before the race).
    const last = past.at(-1) as HistoryRace;
    const rewritten: HistoryRace = {
      ...last,
      results: last.results.map((r, i, all) => ({
        ...r,
        positionOrder: all.length - i,
        position: all.length - i,
      })),
    };
    const altered = [...past.slice(0, -1), rewritten, ...history([2004], 99)];
    expect(predictionsOf(altered, 2002, 2003)).toEqual(baseline);
  });

  test('is not blind to the past: changing an earlier race does move later predictions', () => {
    const baseline = predictionsOf(past, 2003, 2003);
    const first = past[0] as HistoryRace;
    const changed = [
      {
        ...first,
        results: first.results.map((r) => ({
          ...r,
          positionOrder: 5 - r.positionOrder,
          position: 5 - r.positionOrder,
        })),
      },
      ...past.slice(1),
    ];
    expect(predictionsOf(changed, 2003, 2003)).not.toEqual(baseline);
  });

  test('scores every race of the chosen seasons and reports per season', () => {
    const scored = replay(past, { from: 2002, to: 2003 });
    expect(scored.map((s) => s.view.raceId)).toEqual([20021, 20022, 20023, 20031, 20032, 20033]);
    const report = buildReport(scored);
    expect(report.models).toEqual(['elo-pre', 'elo-post', 'v2-pre', 'v2-post', 'grid']);
    expect([...report.seasons, report.pooled].map((r) => [r.season, r.races])).toEqual([
      [2002, 3],
      [2003, 3],
      [null, 6],
    ]);
    expect(report.seasons[0]?.models.grid?.races).toBe(3);
    const text = formatTable(report);
    expect(text.split('\n')).toHaveLength(4);
    expect(text.split('\n')[3]).toStartWith('   all');
    expect(formatReport(report)).toContain('proj:elo-ratings');
    const json = JSON.parse(jsonReport(report)) as typeof report;
    expect(json.pooled.races).toBe(6);
    expect(Object.keys(json.pooled.models)).toEqual([
      'elo-pre',
      'elo-post',
      'v2-pre',
      'v2-post',
      'grid',
    ]);
  });
});
