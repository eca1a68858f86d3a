/**
 * One per server process: a single Redis subscriber connection for prediction updates, fanned out to
 * every SSE subscription of the process as events named after the race (`2024:5`). Opened on the
 * first subscription, so processes that never serve one hold no extra connection. Without Redis it
 * relays the publications of the process's `PredictionUpdateBus` (the one its pipeline publishes on).
 */
import { EventEmitter, on } from 'node:events';
import {
  isAfter,
  type PredictionUpdate,
  type PredictionUpdateBus,
  type PredictionUpdateEvent,
  parsePredictionEvent,
  predictionUpdatesChannel,
} from '@f1/core/changes/prediction-updates';
import type { Logger } from '@f1/core/logger';
import { waitForRedis } from '@f1/core/redis';

export class PredictionUpdateHub extends EventEmitter {
  private started: Promise<void> | null = null;
  private stop: (() => void) | null = null;

  constructor(
    private readonly bus: PredictionUpdateBus,
    private readonly logger: Logger,
  ) {
    super();
    // Every open SSE stream is a listener; thousands are normal here.
    this.setMaxListeners(0);
  }

  /** The event a race's updates are emitted under (with a `PredictionUpdateEvent`). */
  static eventFor(race: { season: number; round: number }): string {
    return `${race.season}:${race.round}`;
  }

  private dispatch = (update: PredictionUpdate, id: string) => {
    this.emit(PredictionUpdateHub.eventFor(update), { id, update } satisfies PredictionUpdateEvent);
  };

  /** Connects (once); resolves when updates published from now on will be delivered. */
  start(): Promise<void> {
    this.started ??= this.connect().catch((error: unknown) => {
      this.started = null;
      throw error;
    });
    return this.started;
  }

  /**
   * A race's events until `signal` aborts: first those after `lastEventId` (what a reconnecting client
   * missed), then live ones. Listening starts before the missed ones are read, so an event published
   * in between is not lost; one delivered both ways is sent once (ids only increase).
   */
  async *stream(
    race: { season: number; round: number },
    lastEventId: string | null,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<PredictionUpdateEvent> {
    await this.start();
    const live = on(this, PredictionUpdateHub.eventFor(race), { signal });
    try {
      let last = lastEventId;
      if (last !== null) {
        for (const event of await this.bus.since(race, last)) {
          last = event.id;
          yield event;
        }
      }
      for await (const [value] of live) {
        const event = value as PredictionUpdateEvent;
        if (last !== null && !isAfter(event.id, last)) continue;
        last = event.id;
        yield event;
      }
    } finally {
      // Ended by an error or by the consumer without the signal aborting: still stop listening.
      await live.return?.();
    }
  }

  private async connect(): Promise<void> {
    const redis = this.bus.redis;
    if (!redis) {
      this.stop = this.bus.onLocal(this.dispatch);
      return;
    }
    const subscriber = redis.duplicate();
    subscriber.on('error', (error) =>
      this.logger.warn('prediction updates subscriber error', { error: error.message }),
    );
    await waitForRedis(subscriber, 5_000);
    await subscriber.subscribe(predictionUpdatesChannel(redis));
    subscriber.on('message', (_channel: string, message: string) => {
      const event = parsePredictionEvent(message);
      if (event) this.dispatch(event.update, event.id);
    });
    this.stop = () => subscriber.disconnect();
  }

  close(): void {
    this.stop?.();
    this.stop = null;
    this.started = null;
    this.removeAllListeners();
  }
}
