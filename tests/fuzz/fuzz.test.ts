/**
 * The fuzz suite (issue 11): malformed requests for every tRPC procedure (GET queries, POST
 * mutations, batches) and every REST operation of the OpenAPI document, plus raw-HTTP cases, sent to
 * a real server process on PostgreSQL and Redis by anonymous, user, ml_service and admin callers.
 * Every answer must be < 500, leak no stack trace or internal text, and come within the timeout; the
 * process must answer /health after every group and at the end; no audit row may fail to be written
 * (read from the server log).
 *
 * Seeded: F1_FUZZ_SEED (default printed at start) fixes every request. F1_FUZZ_ONLY=<text> runs only
 * the groups whose name contains it; F1_FUZZ_PER_FIELD sets its size. `bun test tests/fuzz` runs just
 * this suite.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { appRouter } from '@f1/server/trpc/router';
import { describeWith, needs } from '@f1/testkit/skip';
import type { FuzzCase } from './lib/cases.ts';
import { Credentials } from './lib/credentials.ts';
import { type FuzzServer, startFuzzServer } from './lib/fuzz-server.ts';
import { fuzzSeed, Random } from './lib/random.ts';
import { rawCases } from './lib/raw-cases.ts';
import { classify, formatReport, serverFaults } from './lib/report.ts';
import { type OpenApiDocument, restCases, restOperationsOf } from './lib/rest-cases.ts';
import { groupsOf, healthy, runGroups } from './lib/run-groups.ts';
import { auditFailures } from './lib/server-log.ts';
import { procedures, trpcCases } from './lib/trpc-cases.ts';

/** Extra malformed values per field beyond one per kind (F1_FUZZ_PER_FIELD; 12 → about 8,500 requests). */
const PER_FIELD = Number(process.env.F1_FUZZ_PER_FIELD ?? 12);

describeWith([needs.postgres, needs.redis], 'fuzz suite', () => {
  let server: FuzzServer;
  beforeAll(async () => {
    server = await startFuzzServer();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  test('no malformed request gets a 5xx, internal text or no answer; the process stays up', async () => {
    const started = performance.now();
    const seed = fuzzSeed();
    const only = process.env.F1_FUZZ_ONLY?.trim();
    const filter = only ? `, only groups matching "${only}"` : '';
    console.log(
      `fuzz: seed ${seed} (F1_FUZZ_SEED=${seed} to replay)${filter}; data: ${server.data}`,
    );
    const random = new Random(seed);
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as OpenApiDocument;
    const trpc = procedures(appRouter);
    const rest = restOperationsOf(doc);
    const all: FuzzCase[] = [
      ...trpc.flatMap((info) => trpcCases(info, random, { perField: PER_FIELD })),
      ...rest.flatMap((op) => restCases(op, doc, random, { perField: PER_FIELD })),
      ...(await rawCases()),
    ];
    const groups = [...groupsOf(all)].filter(([name]) => !only || name.includes(only));
    console.log(
      `fuzz: ${trpc.length} procedures, ${rest.length} REST operations, ${groups.length} groups`,
    );
    const credentials = new Credentials(server, random);
    await credentials.renew();

    const { stats, failures, timings } = await runGroups({ server, groups, credentials, random });
    const upAtEnd = await healthy(server);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const classes = classify([...failures, ...auditFailures(server.output())], server.output());
    const statuses = [...stats.statuses].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    const slowest = timings.sort((a, b) => b[1] - a[1]).slice(0, 3);
    console.log(
      [
        `fuzz: ${stats.requests} requests in ${seconds} s; 5xx: ${stats.fiveXx}; process up at end: ${upAtEnd}`,
        `fuzz: answers by status: ${statuses.map(([s, n]) => `${s ?? 'none'}×${n}`).join(' ')}`,
        `fuzz: slowest groups: ${slowest.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join('; ')}`,
        formatReport(classes, `F1_FUZZ_SEED=${seed} F1_FUZZ_ONLY='<group>' bun test tests/fuzz`),
      ].join('\n'),
    );
    if (classes.length > 0) console.log(serverFaults(server.output()));
    expect(upAtEnd).toBe(true);
    expect(classes.map((c) => c.key)).toEqual([]);
  }, 600_000);
});
