/**
 * Without Redis, the CLIs, the scheduler and the other server processes on the same database send
 * their invalidations and prediction updates as notifications through it
 * (@f1/core/changes/peer-messages; the embedded database's shared session, or PostgreSQL's own
 * LISTEN/NOTIFY); this server delivers them to its own buses: the caches drop what changed and SSE
 * subscribers hear of new predictions. What this process sent itself (its origin) is skipped: its
 * buses already had it. A prediction update is delivered locally only, never sent on (two servers
 * would echo it forever).
 */
import {
  type InvalidationBus,
  PEER_INVALIDATION_CHANNEL,
  parseInvalidationMessage,
} from '@f1/core/changes/invalidation';
import { readPeerMessage } from '@f1/core/changes/peer-messages';
import {
  PEER_PREDICTION_UPDATES_CHANNEL,
  type PredictionUpdateBus,
  parsePredictionUpdates,
} from '@f1/core/changes/prediction-updates';
import type { Logger } from '@f1/core/logger';

type Listen = (
  channel: string,
  onPayload: (payload: string) => void,
  onReconnect?: () => void,
) => Promise<() => void>;

export interface PeerListening {
  /** This process's origin (what it sends its peers under): its own messages are skipped. */
  origin?: string;
  /**
   * The listening connection came back after a loss: whatever was sent meanwhile is lost, so the
   * in-process caches must forget everything (runs once per lost connection, not per channel).
   */
  onReconnect?: () => void;
}

/** Subscribes the buses to the peers' channels; returns the unsubscribe. */
export async function listenToPeers(
  listen: Listen,
  buses: { invalidation: InvalidationBus; predictionUpdates: PredictionUpdateBus },
  logger: Logger,
  options: PeerListening = {},
): Promise<() => void> {
  const malformed = (channel: string) =>
    logger.warn('ignored a malformed message from another process', { channel });
  /** The message of a payload from another process; null for this process's own. */
  const fromOthers = (payload: string): string | null => {
    const { origin, message } = readPeerMessage(payload);
    return origin !== null && origin === options.origin ? null : message;
  };
  const reconnected = () => {
    logger.warn('the connection that hears other processes was lost and is back: caches cleared');
    options.onReconnect?.();
  };
  const stopInvalidation = await listen(
    PEER_INVALIDATION_CHANNEL,
    (payload) => {
      const message = fromOthers(payload);
      if (message === null) return;
      const tags = parseInvalidationMessage(message);
      if (tags) buses.invalidation.deliverLocally(tags);
      else malformed(PEER_INVALIDATION_CHANNEL);
    },
    reconnected,
  );
  const stopUpdates = await listen(PEER_PREDICTION_UPDATES_CHANNEL, (payload) => {
    const message = fromOthers(payload);
    if (message === null) return;
    const updates = parsePredictionUpdates(message);
    if (updates) buses.predictionUpdates.deliverLocally(updates);
    else malformed(PEER_PREDICTION_UPDATES_CHANNEL);
  });
  return () => {
    stopInvalidation();
    stopUpdates();
  };
}
