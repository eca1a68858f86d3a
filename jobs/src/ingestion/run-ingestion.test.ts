import { expect, test } from 'bun:test';
import { describeEachBackend } from '@f1/testkit/backends';
import { createProgress } from '../cli/progress.ts';
import type { Dataset, Scope, Source, SourceRead } from './dataset.ts';
import { runIngestion } from './run-ingestion.ts';
import { dumpSeason } from './testing.ts';

const SEASON = 2031;

/** The seam: a third source is a class with a name and `read` — here, a hand-typed timing sheet. */
class TimingSheetSource implements Source {
  readonly name = 'timing-sheet';
  constructor(private readonly sheet: Record<number, string[]>) {}

  async read(request: { scope: Scope }): Promise<SourceRead> {
    const datasets = Object.entries(this.sheet).map(([round, finishers]) => ({
      scope: { kind: 'round', season: SEASON, round: Number(round) } as const,
      dataset: sheetDataset(Number(round), finishers),
    }));
    return {
      datasets: datasets.filter(
        (d) => request.scope.kind !== 'round' || d.scope.round === request.scope.round,
      ),
      failures: [],
    };
  }
}

function sheetDataset(round: number, finishers: string[]): Dataset {
  return {
    circuits: [
      {
        circuit_ref: 'oval',
        name: 'Oval',
        locality: null,
        country: null,
        latitude: null,
        longitude: null,
        url: null,
      },
    ],
    teams: [],
    drivers: finishers.map((ref) => ({
      driver_ref: ref,
      permanent_number: null,
      code: null,
      given_name: '',
      family_name: ref,
      date_of_birth: null,
      nationality: null,
      url: null,
    })),
    races: [
      {
        season: SEASON,
        round,
        circuitRef: 'oval',
        name: `Oval ${round}`,
        date: `${SEASON}-06-0${round}`,
        starts_at: null,
        url: null,
      },
    ],
    qualifying: finishers.map((driverRef, i) => ({
      season: SEASON,
      round,
      driverRef,
      teamRef: null,
      number: null,
      position: i + 1,
      q1_millis: 60_000 + i,
      q2_millis: null,
      q3_millis: null,
    })),
  };
}

const lines = () => {
  const out: string[] = [];
  return { out, progress: createProgress({ isTTY: false, write: (t) => void out.push(t) }) };
};

describeEachBackend('runIngestion with a third source', (database) => {
  test('a fake source implementing Source is written round by round, with one report', async () => {
    const { out, progress } = lines();
    const source = new TimingSheetSource({ 1: ['amy', 'ben'], 2: ['ben', 'amy', 'cat'] });
    const report = await runIngestion({ db: database().db, progress }, source, {
      scope: { kind: 'season', season: SEASON },
    });
    expect(report.roundsWritten).toEqual([1, 2]);
    expect(report.tables.qualifying_results.created).toBe(5);
    expect(report.tables.drivers.created).toBe(3);
    expect(report.changedRaces.map((r) => r.round)).toEqual([1, 2]);
    expect(report.changedSeasons).toEqual([SEASON]);
    const stored = await dumpSeason(database().db, SEASON);
    expect(stored.qualifying.map((q) => [q.round, q.driver_ref, q.position])).toEqual([
      [1, 'amy', 1],
      [1, 'ben', 2],
      [2, 'ben', 1],
      [2, 'amy', 2],
      [2, 'cat', 3],
    ]);
    expect(out.join('')).toBe(
      `${SEASON}: 2 step(s)\n${SEASON} 1/2 round 1: 2 rows\n${SEASON} 2/2 round 2: 3 rows\n`,
    );
  });

  test('a round that fails to write is reported and the next round still runs; abort stops between rounds', async () => {
    // Round 1 lists one driver twice (a duplicate key): that round fails, round 3 is written.
    const source = new TimingSheetSource({ 1: ['amy', 'amy'], 3: ['dan'] });
    const report = await runIngestion({ db: database().db }, source, {
      scope: { kind: 'season', season: SEASON },
    });
    expect(report.failures.map((f) => [f.round, f.message.includes('twice')])).toEqual([[1, true]]);
    expect(report.roundsWritten).toEqual([3]);

    const controller = new AbortController();
    const stopped = await runIngestion(
      {
        db: database().db,
        signal: controller.signal,
        afterRound: () => controller.abort('SIGTERM'),
      },
      new TimingSheetSource({ 4: ['eve'], 5: ['fay'] }),
      { scope: { kind: 'season', season: SEASON } },
    );
    expect(stopped.aborted).toBe(true);
    expect(stopped.roundsWritten).toEqual([4]);
    expect((await dumpSeason(database().db, SEASON)).races.map((r) => r.round)).toEqual([
      1, 2, 3, 4,
    ]);
  });

  test('a dataset larger than a round that fails to write fails the run', async () => {
    const whole: Source = {
      name: 'broken-export',
      read: async () => ({
        datasets: [{ scope: { kind: 'all' }, dataset: sheetDataset(9, ['gus', 'gus']) }],
        failures: [],
      }),
    };
    await expect(
      runIngestion({ db: database().db }, whole, { scope: { kind: 'all' } }),
    ).rejects.toThrow('twice');
  });
});

test('the scope of a read decides what a source gives', async () => {
  const source = new TimingSheetSource({ 1: ['amy'], 2: ['ben'] });
  const read = await source.read({ scope: { kind: 'round', season: SEASON, round: 2 } });
  expect(read.datasets.map((d) => d.scope)).toEqual([{ kind: 'round', season: SEASON, round: 2 }]);
});
