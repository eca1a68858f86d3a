/**
 * standings.progression on real seasons (the shared Ergast export): 2023 as it unfolded (Verstappen's
 * line ends at 575, Red Bull's at 860) and 1988, a best-11 season whose dropped results are kept.
 * Over REST too: GET /api/v1/seasons/{season}/standings/progression, a bad season a 400 naming it.
 */
import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { callerFor } from '@f1/testkit/callers';
import { testApp, testServices } from '@f1/testkit/server';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';
import { TRPCError } from '@trpc/server';

if (!findSharedDataDir()) {
  skipSuite('standings.progression', SHARED_DATA_MISSING);
} else {
  describeEachBackend('standings.progression', (database) => {
    const services = () => testServices({ database: database() });

    test('2023: 22 rounds, one series per driver and team, aligned with the rounds', async () => {
      await loadCsvSeasons(database().db, { seasons: [1988, 2023] });
      const p = await callerFor(services()).standings.progression({ season: 2023 });
      expect(p.rounds).toHaveLength(22);
      expect(p.rounds[0]).toEqual({ round: 1, name: 'Bahrain Grand Prix' });
      const ver = p.drivers[0];
      expect([ver?.id, ver?.code, ver?.points.at(-1), ver?.wins.at(-1)]).toEqual([
        'max_verstappen',
        'VER',
        575,
        19,
      ]);
      expect(ver?.points.slice(0, 3)).toEqual([25, 44, 69]);
      expect(p.drivers.every((d) => d.points.length === 22 && d.positions.length === 22)).toBe(
        true,
      );
      expect(p.drivers.map((d) => d.positions.at(-1)).slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
      expect([p.constructors[0]?.id, p.constructors[0]?.points.at(-1)]).toEqual(['red_bull', 860]);
      expect(p.constructors[0]?.code).toBeNull();
    });

    test('1988: the best-11 rule’s dropped rounds and points, round by round', async () => {
      const p = await callerFor(services()).standings.progression({ season: 1988 });
      const prost = p.drivers.find((d) => d.id === 'prost');
      expect(prost?.points.at(-1)).toBe(87);
      expect(prost?.droppedPoints.at(-1)).toBe(18);
      expect(prost?.droppedRounds.at(-1)?.length).toBeGreaterThan(0);
      expect(prost?.droppedRounds[0]).toEqual([]);
      expect(p.drivers[0]?.id).toBe('senna');
    });

    test('a season without standings is NOT_FOUND', async () => {
      const error = await callerFor(services())
        .standings.progression({ season: 1990 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('NOT_FOUND');
    });

    test('REST: the same answer, cacheable; a bad season is a 400 naming the field', async () => {
      const app = testApp(services());
      const ok = await app.handle(
        new Request('http://test.local/api/v1/seasons/2023/standings/progression'),
      );
      expect(ok.status).toBe(200);
      expect(ok.headers.get('cache-control')).toContain('public');
      const body = (await ok.json()) as { drivers: { points: number[] }[] };
      expect(body.drivers[0]?.points.at(-1)).toBe(575);
      const bad = await app.handle(
        new Request('http://test.local/api/v1/seasons/1900/standings/progression'),
      );
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('season');
      const timeline = await app.handle(
        new Request('http://test.local/api/v1/seasons/2023/accuracy/timeline?backtest=true'),
      );
      expect(timeline.status).toBe(200);
      expect(((await timeline.json()) as { season: number }).season).toBe(2023);
    });
  });
}
