/** The source client as configured by `F1_ERGAST_*`. */
import type { Config } from '@f1/db/config';
import { SourceHttp } from './http.ts';
import { JolpicaClient } from './jolpica-client.ts';

export function createSourceClient(config: Config['ergast']): JolpicaClient {
  const http = new SourceHttp({
    timeoutMs: config.timeoutSeconds * 1000,
    retryAttempts: config.retryAttempts,
    requestsPerSecond: config.requestsPerSecond,
    hourlyBudget: config.hourlyBudget,
  });
  return new JolpicaClient(http, config.baseUrl);
}
