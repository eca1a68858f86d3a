/**
 * "Predictions or accuracy of a race changed" events, across server processes.
 *
 * Writers (the submit path here, accuracy recomputation in jobs) publish on one Redis channel; every
 * server process holds one subscriber connection (see `PredictionUpdateHub`) and fans the events out to
 * its own SSE subscribers. Without Redis there is one process, so events are delivered in-process.
 */
import type { Redis } from '../redis.ts';

export const PREDICTION_UPDATES_CHANNEL = 'f1:prediction-updates';

export interface PredictionUpdate {
  season: number;
  round: number;
  kind: 'predictions' | 'accuracy';
  /** The model whose predictions (or accuracy) changed; null for a whole-race recomputation. */
  model: string | null;
  version: string | null;
  backtest: boolean;
  /** ISO time of the change. */
  at: string;
}

/** The channel on this connection, prefixed like its keys so parallel test runs stay apart. */
export function predictionUpdatesChannel(redis: Redis): string {
  return `${redis.options.keyPrefix ?? ''}${PREDICTION_UPDATES_CHANNEL}`;
}

type Listener = (update: PredictionUpdate) => void;
const localListeners = new Set<Listener>();

/** In-process delivery, used when there is no Redis (and by the hub for messages from Redis). */
export function onLocalPredictionUpdate(listener: Listener): () => void {
  localListeners.add(listener);
  return () => localListeners.delete(listener);
}

export function deliverLocally(update: PredictionUpdate): void {
  for (const listener of localListeners) listener(update);
}

/** Parses a message from the channel; null for anything malformed (never trust the wire). */
export function parsePredictionUpdate(message: string): PredictionUpdate | null {
  try {
    const value = JSON.parse(message) as Partial<PredictionUpdate>;
    if (
      typeof value.season === 'number' &&
      typeof value.round === 'number' &&
      (value.kind === 'predictions' || value.kind === 'accuracy') &&
      typeof value.at === 'string'
    ) {
      return {
        season: value.season,
        round: value.round,
        kind: value.kind,
        model: typeof value.model === 'string' ? value.model : null,
        version: typeof value.version === 'string' ? value.version : null,
        backtest: value.backtest === true,
        at: value.at,
      };
    }
  } catch {
    // fall through
  }
  return null;
}

/** Publishes updates to every server process (one pipeline), or in-process without Redis. */
export async function publishPredictionUpdates(
  redis: Redis | null,
  updates: PredictionUpdate[],
): Promise<void> {
  if (updates.length === 0) return;
  if (!redis) {
    for (const update of updates) deliverLocally(update);
    return;
  }
  const channel = predictionUpdatesChannel(redis);
  const pipeline = redis.pipeline();
  for (const update of updates) pipeline.publish(channel, JSON.stringify(update));
  await pipeline.exec();
}
