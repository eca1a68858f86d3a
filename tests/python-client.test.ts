/**
 * A non-TypeScript client: tests/python/f1_rest_client.py (Python standard library only) against a
 * live server. An operator creates an ML-service API key with the admin CLI; the script
 * authenticates with it, reads the race's classification, submits a prediction set over REST,
 * resubmits it (idempotent) and reads it back. The stored set is then checked through a second,
 * independent path: the typed tRPC client.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import path from 'node:path';
import type { AppRouter } from '@f1/server';
import {
  createApiKeyWithCli,
  type LiveServer,
  seedMiniSeasonWithStandings,
  startLiveServer,
} from '@f1/testkit/live-server';
import { ROOT, run } from '@f1/testkit/processes';
import { describeWith, needs } from '@f1/testkit/skip';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';

const SCRIPT = path.join(ROOT, 'tests/python/f1_rest_client.py');
const python = Bun.which('python3');

let server: LiveServer;
let mlKey = '';
let userKey = '';

beforeAll(async () => {
  if (!python) return;
  server = await startLiveServer({
    seed: seedMiniSeasonWithStandings,
    prepare: async (env) => {
      mlKey = await createApiKeyWithCli(env, 'python-client', 'ml_service');
      userKey = await createApiKeyWithCli(env, 'read-only', 'user');
    },
  });
}, 120_000);
afterAll(() => server?.stop());

const runScript = (key: string) =>
  run(
    [
      python ?? 'python3',
      SCRIPT,
      server.url,
      '--api-key',
      key,
      '--season',
      '2021',
      '--round',
      '2',
      '--backtest',
    ],
    { cwd: ROOT, timeoutMs: 60_000 },
  );

describeWith(
  [needs.program('python3', ' (apt-get install python3)')],
  'the Python standard-library client',
  () => {
    test('logs in with an API key, submits over REST, and reads the predictions back', async () => {
      const result = await runScript(mlKey);
      if (result.code !== 0) throw new Error(`${result.stderr}\nserver:\n${server.logs()}`);
      const report = JSON.parse(result.stdout.trim());
      expect(report.principal).toBe('api_key');
      expect(report.role).toBe('ml_service');
      // The mini season's round 2 classification, by hand: B, C, A, then D (retired).
      expect(report.drivers).toEqual(['driver_b', 'driver_c', 'driver_a', 'driver_d']);
      expect(report.submitted).toMatchObject({ status: 'created', entries: 4 });
      expect(report.resubmitted).toEqual({ status: 'unchanged', setId: report.submitted.setId });
      expect(Number(report.rateLimit['ratelimit-limit'])).toBeGreaterThan(0);
      expect(report.readBack).toEqual({ sets: 1, matches: true });

      // The same set, seen through the typed tRPC API.
      const trpc = createTRPCClient<AppRouter>({
        links: [httpBatchLink({ url: `${server.url}/trpc`, transformer: superjson })],
      });
      const stored = await trpc.predictions.list.query({
        season: 2021,
        round: 2,
        model: 'python-stdlib',
        backtest: true,
      });
      expect(stored.sets.map((s) => s.setId)).toEqual([report.submitted.setId]);
      expect(stored.sets[0]?.entries.map((e) => [e.driverId, e.predictedPosition])).toEqual([
        ['driver_b', 1],
        ['driver_c', 2],
        ['driver_a', 3],
        ['driver_d', 4],
      ]);
    }, 90_000);

    test('a key without the ml_service role is refused (403), and the script says why', async () => {
      const result = await runScript(userKey);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('HTTP 403 FORBIDDEN');
    }, 60_000);

    test('a wrong key is refused (401)', async () => {
      const result = await runScript('f1k_not_a_real_key');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('HTTP 401 UNAUTHORIZED');
    }, 60_000);
  },
);
