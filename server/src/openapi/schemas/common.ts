/** Schemas shared by the documented outputs (one instance per OpenAPI component id). */
import { z } from 'zod';

export const PredictionStage = z
  .enum(['pre_qualifying', 'post_qualifying'])
  .meta({ id: 'PredictionStage' });
