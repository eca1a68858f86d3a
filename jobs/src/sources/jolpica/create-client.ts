/**
 * The source client as configured by `F1_ERGAST_*`. With Redis, the 4/s pacing and the hourly budget
 * are shared by every process using that Redis (see shared-pacer.ts); without it, by this process alone.
 */
import type { Config } from '@f1/core/config';
import type { Logger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';
import { SourceHttp } from '../http/http.ts';
import { Pacer, type RequestPacer } from '../http/pacer.ts';
import { SharedPacer } from '../http/shared-pacer.ts';
import { JolpicaClient } from './client.ts';

export function createSourceClient(
  config: Config['ergast'],
  shared: { redis: Redis | null; logger?: Logger } = { redis: null },
  /** Wraps the pacer (the bootstrap's waits for the hourly budget instead of failing). */
  wrapPacer?: (pacer: RequestPacer) => RequestPacer,
): JolpicaClient {
  const limits = { perSecond: config.requestsPerSecond, perHour: config.hourlyBudget };
  const pacer = shared.redis
    ? new SharedPacer(shared.redis, {
        name: new URL(config.baseUrl).host,
        ...limits,
        logger: shared.logger,
      })
    : new Pacer(limits);
  const http = new SourceHttp({
    timeoutMs: config.timeoutSeconds * 1000,
    retryAttempts: config.retryAttempts,
    requestsPerSecond: limits.perSecond,
    hourlyBudget: limits.perHour,
    pacer: wrapPacer ? wrapPacer(pacer) : pacer,
  });
  return new JolpicaClient(http, config.baseUrl);
}
