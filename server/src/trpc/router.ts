/** The root router: one sub-router per domain. `AppRouter` is the type the SDK publishes. */
import { accuracyRouter } from '../routers/accuracy.ts';
import { adminRouter } from '../routers/admin.ts';
import { apiKeysRouter } from '../routers/api-keys.ts';
import { authRouter } from '../routers/auth.ts';
import { circuitsRouter } from '../routers/circuits.ts';
import { driversRouter } from '../routers/drivers.ts';
import { healthProcedure } from '../routers/health.ts';
import { predictionsRouter } from '../routers/predictions.ts';
import { racesRouter } from '../routers/races.ts';
import { ratingsRouter } from '../routers/ratings.ts';
import { standingsRouter } from '../routers/standings.ts';
import { teamsRouter } from '../routers/teams.ts';
import { router } from './init.ts';

export const appRouter = router({
  accuracy: accuracyRouter,
  health: healthProcedure,
  predictions: predictionsRouter,
  drivers: driversRouter,
  teams: teamsRouter,
  circuits: circuitsRouter,
  races: racesRouter,
  standings: standingsRouter,
  ratings: ratingsRouter,
  auth: authRouter,
  apiKeys: apiKeysRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
