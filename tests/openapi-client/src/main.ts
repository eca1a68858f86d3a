/**
 * Calls the live REST API through a client generated from its OpenAPI document (src/schema.d.ts,
 * written by `openapi-typescript <server>/api/openapi.json`), and prints one JSON report.
 */
import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

const base = process.argv[2];
if (!base) throw new Error('usage: main <server base URL>');
const api = createClient<paths>({ baseUrl: `${base}/api/v1` });

const health = await api.GET('/health');
const status: 'ok' | 'degraded' | 'unhealthy' | undefined = health.data?.status;

// The generated types reject paths the API does not have.
// @ts-expect-error no such path
const missing = await api.GET('/no-such-path');

console.log(
  JSON.stringify({
    health: { httpStatus: health.response.status, status, time: health.data?.time },
    rateLimit: health.response.headers.get('ratelimit-limit'),
    missing: { httpStatus: missing.response.status, error: missing.error },
  }),
);
