/**
 * The long-running scheduler behind `bun run jobs`: one `Bun.cron` per enabled job (UTC). Every firing
 * first takes the cluster-wide Redis lock (one job at a time across processes and hosts; without Redis,
 * a process-local lock and a warning), runs the job with the lease's fencing token, and releases the
 * lock. `stop()` (SIGTERM) stops the crons, asks the running job to stop after its current round, waits
 * for it and releases the lock.
 */
import { currentFence } from '@f1/db/ingestion/fences';
import type { JobContext } from '../context.ts';
import type { JolpicaClient } from '../sources/jolpica/client.ts';
import { createSourceClient } from '../sources/jolpica/create-client.ts';
import type { WeatherProvider } from '../weather/providers.ts';
import { createWeatherProvider, WEATHER_SKIPPED_LINE } from '../weather/weather-ingestion.ts';
import { type JobName, type JobOutcome, runJob } from './jobs.ts';
import { type Lease, RedisLock } from './redis-lock.ts';

/** Without Redis the lock is process-wide (shared by every scheduler in this process), keyed by name. */
const localLocks = new Set<string>();

export interface SchedulerOptions {
  context: JobContext;
  client?: JolpicaClient;
  /** Defaults to the configured provider (null: weather is skipped). */
  weather?: WeatherProvider | null;
  now?: () => Date;
}

export class Scheduler {
  private readonly crons: { stop(): void }[] = [];
  private current: {
    name: JobName;
    done: Promise<JobOutcome | null>;
    controller: AbortController;
  } | null = null;
  private readonly client: JolpicaClient;
  private readonly weather: WeatherProvider | null;

  constructor(private readonly options: SchedulerOptions) {
    this.client =
      options.client ?? createSourceClient(options.context.config.ergast, options.context);
    this.weather =
      options.weather === undefined
        ? createWeatherProvider(options.context.config.weather)
        : options.weather;
  }

  private get lockName() {
    return this.options.context.config.jobs.lockName;
  }

  private get ttlMs() {
    return this.options.context.config.jobs.lockTtlSeconds * 1000;
  }

  /** The enabled jobs and their cron expressions. */
  schedules(): [JobName, string][] {
    const jobs = this.options.context.config.jobs;
    const all: [JobName, string | null][] = [
      ['latest-round', jobs.latestRoundCron],
      ['race-weekend', jobs.raceWeekendCron],
      ['schedule', jobs.scheduleCron],
      ['validate', jobs.validateCron],
      ['queue', jobs.queueCron],
    ];
    return all.filter((entry): entry is [JobName, string] => entry[1] !== null);
  }

  start(): void {
    const { logger, redis } = this.options.context;
    if (!redis)
      logger.warn('no Redis configured: the job lock only covers this process (run one scheduler)');
    if (!this.weather) logger.info(WEATHER_SKIPPED_LINE);
    for (const [name, expression] of this.schedules()) {
      this.crons.push(Bun.cron(expression, () => this.trigger(name).then(() => {}), { tz: 'UTC' }));
      logger.info('job scheduled', {
        job: name,
        cron: expression,
        next: Bun.cron.parse(expression, Date.now(), { tz: 'UTC' }),
      });
    }
  }

  private async acquire(): Promise<Lease | null> {
    const { redis, db } = this.options.context;
    if (redis) {
      const lock = new RedisLock(redis, this.lockName, this.ttlMs);
      return lock.acquire({ minToken: (await currentFence(db, this.lockName)) + 1 });
    }
    if (localLocks.has(this.lockName)) return null;
    localLocks.add(this.lockName);
    const controller = new AbortController();
    return {
      name: this.lockName,
      token: (await currentFence(db, this.lockName)) + 1,
      signal: controller.signal,
      release: async () => {
        localLocks.delete(this.lockName);
        controller.abort();
        return true;
      },
    };
  }

  /** Runs a job now if the lock is free; null when another run holds it. */
  async trigger(name: JobName): Promise<JobOutcome | null> {
    const { logger } = this.options.context;
    const lease = await this.acquire();
    if (!lease) {
      logger.info('job skipped: another process holds the lock', { job: name });
      return null;
    }
    const controller = new AbortController();
    const stopOnLoss = () => controller.abort(lease.signal.reason);
    lease.signal.addEventListener('abort', stopOnLoss);
    const done = (async () => {
      const started = performance.now();
      try {
        const outcome = await runJob(
          name,
          {
            context: this.options.context,
            client: this.client,
            weather: this.weather,
            now: this.options.now?.() ?? new Date(),
            signal: controller.signal,
            fence: { name: this.lockName, token: lease.token },
          },
          { staleAfterMs: this.ttlMs * 2 },
        );
        const log = outcome.ok ? logger.info : logger.error;
        log('job finished', {
          job: name,
          ok: outcome.ok,
          note: outcome.note,
          fence: lease.token,
          ms: Math.round(performance.now() - started),
        });
        return outcome;
      } catch (error) {
        logger.error('job failed', {
          job: name,
          error: error instanceof Error ? error.message : String(error),
        });
        return { ok: false, note: error instanceof Error ? error.message : String(error) };
      } finally {
        lease.signal.removeEventListener('abort', stopOnLoss);
        await lease.release();
      }
    })();
    this.current = { name, done, controller };
    try {
      return await done;
    } finally {
      if (this.current?.done === done) this.current = null;
    }
  }

  /** Graceful stop: no new firings; the running job stops after its current round. */
  async stop(reason = 'SIGTERM'): Promise<void> {
    for (const cron of this.crons.splice(0)) cron.stop();
    const running = this.current;
    if (running) {
      this.options.context.logger.info('stopping: letting the current round finish', {
        job: running.name,
        reason,
      });
      running.controller.abort(reason);
      await running.done;
    }
  }
}
