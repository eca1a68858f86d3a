/** Input schemas of the predictions router (shared by submit, submitBulk and list). */
import { z } from 'zod';
import { text } from '../schemas/text.ts';

export const season = z.number().int().min(1950).max(2100);
export const round = z.number().int().min(1).max(99);
export const modelName = text().regex(
  /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/,
  'letters, digits, _ . : - ; at most 64 characters',
);
export const modelVersion = text().regex(
  /^[A-Za-z0-9][A-Za-z0-9_.+:-]{0,63}$/,
  'letters, digits, _ . + : - ; at most 64 characters',
);
export const stage = z.enum(['pre_qualifying', 'post_qualifying']);
const probability = z.number().min(0).max(1);

export const predictionEntry = z.object({
  driverId: text().min(1).max(64),
  predictedPosition: z.number().int().min(1).max(99),
  winProbability: probability,
  podiumProbability: probability,
  pointsProbability: probability.nullish(),
  predictedGrid: z.number().int().min(1).max(99).nullish(),
});

export const predictionSet = z.object({
  season,
  round,
  model: modelName,
  version: modelVersion,
  /** Defaults to post_qualifying once qualifying is recorded, else pre_qualifying. */
  stage: stage.optional(),
  /** A retrospective prediction: allowed after the start, kept apart from live predictions. */
  backtest: z.boolean().optional(),
  /** Retrying with the same key returns the original result instead of storing a second copy. */
  idempotencyKey: text().min(1).max(200).optional(),
  entries: z.array(predictionEntry).min(1).max(60),
});

/** At most this many sets per bulk call (≈ 100k prediction rows at 20 drivers a race). */
export const MAX_BULK_SETS = 5_000;

export const bulkSubmission = z.object({
  sets: z.array(predictionSet).min(1).max(MAX_BULK_SETS),
});

export const listInput = z.object({
  season,
  round,
  model: modelName.optional(),
  version: modelVersion.optional(),
  stage: stage.optional(),
  backtest: z.boolean().default(false),
  history: z.boolean().default(false),
});
