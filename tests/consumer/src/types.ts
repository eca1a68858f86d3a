/**
 * Type-level checks a consumer relies on, compiled with `skipLibCheck: false`. Each `@ts-expect-error`
 * must be needed: if a wrong call starts compiling, tsc reports the unused directive and the test fails.
 */
import {
  createF1Client,
  type Driver,
  type F1Client,
  type F1ClientError,
  type HealthStatus,
  type Prediction,
  type PredictionSubmission,
  type Race,
  type RouterInputs,
  type RouterOutputs,
  type StandingRow,
} from '@f1-analytics/sdk';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

assertType<Equal<HealthStatus['time'], Date>>();
assertType<Equal<HealthStatus['status'], 'ok' | 'degraded' | 'unhealthy'>>();
assertType<Equal<RouterOutputs['health'], HealthStatus>>();
assertType<Equal<RouterInputs['health'], void>>();
assertType<Equal<NonNullable<F1ClientError['data']>['httpStatus'], number>>();
assertType<Equal<Driver['driverId'], string>>();
assertType<Equal<Driver['permanentNumber'], number | null>>();
assertType<Equal<Race['startsAt'], Date | null>>();
assertType<Equal<StandingRow['points'], number>>();
// The rules engine's fields (issue 13): typed on every standings row.
assertType<Equal<StandingRow['positionText'], string>>();
assertType<Equal<StandingRow['pointsScored'], number>>();
assertType<Equal<StandingRow['droppedPoints'], number>>();
assertType<Equal<StandingRow['droppedRounds'], number[]>>();
assertType<Equal<StandingRow['adjustmentPoints'], number>>();
assertType<Equal<StandingRow['tied'], boolean>>();
assertType<
  Equal<RouterOutputs['standings']['constructors']['rows'][number]['pointsScored'], number>
>();
assertType<Equal<Prediction['winProbability'], number>>();
assertType<
  Equal<RouterInputs['standings']['drivers'], { season: number; round?: number | undefined }>
>();
assertType<Equal<PredictionSubmission['entries'][number]['driverId'], string>>();
assertType<
  Equal<
    NonNullable<F1ClientError['data']>['zodError'],
    {
      formErrors: string[];
      fieldErrors: Record<string, string[] | undefined>;
    } | null
  >
>();

export function wrongUses(f1: F1Client): void {
  // @ts-expect-error health is a query
  void f1.health.mutate();
  // @ts-expect-error no such procedure
  void f1.nope.query();
  // @ts-expect-error the base URL is required
  createF1Client({ token: 'jwt' });
  // @ts-expect-error an output field that does not exist
  void f1.health.query().then((h) => h.uptime);
  // @ts-expect-error season is a number
  void f1.standings.drivers.query({ season: '2024' });
  // @ts-expect-error driverId is required
  void f1.drivers.get.query({});
  // @ts-expect-error submitting is a mutation
  void f1.predictions.submit.query();
  // @ts-expect-error a prediction needs a win probability
  const entry: Prediction = { driverId: 'x', predictedPosition: 1 };
  void entry;
}
