/**
 * Without Redis, the CLIs and the scheduler beside a server on the embedded database send their
 * invalidations and prediction updates as notifications on the database's shared session
 * (@f1/core/changes/peer-messages); the server, its owner, delivers them to its own buses: the caches
 * drop what changed and SSE subscribers hear of new predictions.
 */
import {
  type InvalidationBus,
  PEER_INVALIDATION_CHANNEL,
  parseInvalidationMessage,
} from '@f1/core/changes/invalidation';
import {
  PEER_PREDICTION_UPDATES_CHANNEL,
  type PredictionUpdateBus,
  parsePredictionUpdates,
} from '@f1/core/changes/prediction-updates';
import type { Logger } from '@f1/core/logger';

type Listen = (channel: string, onPayload: (payload: string) => void) => Promise<() => void>;

/** Subscribes the buses to the peers' channels; returns the unsubscribe. */
export async function listenToPeers(
  listen: Listen,
  buses: { invalidation: InvalidationBus; predictionUpdates: PredictionUpdateBus },
  logger: Logger,
): Promise<() => void> {
  const malformed = (channel: string) =>
    logger.warn('ignored a malformed message from another process', { channel });
  const stopInvalidation = await listen(PEER_INVALIDATION_CHANNEL, (message) => {
    const tags = parseInvalidationMessage(message);
    if (tags) buses.invalidation.deliverLocally(tags);
    else malformed(PEER_INVALIDATION_CHANNEL);
  });
  const stopUpdates = await listen(PEER_PREDICTION_UPDATES_CHANNEL, (message) => {
    const updates = parsePredictionUpdates(message);
    if (!updates) return malformed(PEER_PREDICTION_UPDATES_CHANNEL);
    buses.predictionUpdates.publish(updates).catch((error: unknown) =>
      logger.warn('prediction updates from another process were not delivered', {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  });
  return () => {
    stopInvalidation();
    stopUpdates();
  };
}
