/** The root router: one sub-router per domain. `AppRouter` is the type the SDK publishes. */
import { healthProcedure } from '../routers/health.ts';
import { predictionsRouter } from '../routers/predictions.ts';
import { router } from './init.ts';

export const appRouter = router({
  health: healthProcedure,
  predictions: predictionsRouter,
});

export type AppRouter = typeof appRouter;
