/**
 * Runs against a live server seeded with the 2021 mini season (URL as the first argument) and prints
 * one JSON report. Compiled by tsc and run under Node, and run as TypeScript under Bun, by
 * tests/sdk-consumer.test.ts.
 */
import {
  createF1Client,
  type Driver,
  errorDetails,
  type F1ErrorDetails,
  type HealthStatus,
  isF1ClientError,
  type StandingRow,
} from '@f1-analytics/sdk';

const url = process.argv[2];
if (!url) throw new Error('usage: main <server base URL>');

const f1 = createF1Client({ url });

async function failure(call: () => Promise<unknown>): Promise<F1ErrorDetails & { typed: boolean }> {
  try {
    await call();
  } catch (error) {
    return { ...errorDetails(error), typed: isF1ClientError(error) };
  }
  throw new Error('the call was expected to fail');
}

const health: HealthStatus = await f1.health.query();
// Concurrent calls share one batched request.
const [drivers, driverA, standings, results, race] = await Promise.all([
  f1.drivers.list.query({ season: 2021 }),
  f1.drivers.get.query({ driverId: 'driver_a' }),
  f1.standings.drivers.query({ season: 2021 }),
  f1.races.results.query({ season: 2021, round: 2 }),
  f1.races.get.query({ season: 2021, round: 1 }),
]);
const a: Driver = driverA;
const table: StandingRow[] = standings.rows;

const report = {
  runtime: process.versions.bun ? 'bun' : 'node',
  health: {
    status: health.status,
    database: health.database,
    timeIsDate: health.time instanceof Date,
  },
  drivers: drivers.items.map((d) => d.driverId),
  driverA: { name: `${a.givenName} ${a.familyName}`, code: a.code },
  standings: { round: standings.round, rows: table.map((r) => [r.driver.driverId, r.points]) },
  winnerOfRound2: results.rows[0]?.driver.driverId,
  raceStartIsDate: race.startsAt instanceof Date,
  models: await f1.predictions.models.query(),
  errors: {
    notFound: await failure(() => f1.drivers.get.query({ driverId: 'nobody' })),
    badInput: await failure(() => f1.standings.drivers.query({ season: 1900 })),
    unauthenticated: await failure(() =>
      f1.predictions.submit.mutate({
        season: 2021,
        round: 2,
        model: 'consumer',
        version: '1',
        entries: [
          {
            driverId: 'driver_a',
            predictedPosition: 1,
            winProbability: 0.5,
            podiumProbability: 0.9,
          },
        ],
      }),
    ),
    wrongBaseUrl: await failure(() => createF1Client({ url: `${url}/nope` }).health.query()),
    unreachable: await failure(() => createF1Client({ url: 'http://127.0.0.1:1' }).health.query()),
  },
};
console.log(JSON.stringify(report));
