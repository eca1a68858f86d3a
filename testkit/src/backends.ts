/**
 * `describeEachBackend`: a suite declared once per back end (`name [postgres]`, `name [pglite]`), each
 * with its own fresh, migrated database created before the block's tests and dropped after them.
 */
import { afterAll, beforeAll, describe } from 'bun:test';
import { type Backend, freshDatabase, type TestDatabase, testBackends } from './postgres.ts';
import { announceSkip } from './skip.ts';

/**
 * Declares `body` once per back end. When no PostgreSQL is configured its block is skipped with a
 * printed reason rather than silently.
 */
export function describeEachBackend(
  name: string,
  body: (database: () => TestDatabase, backend: Backend) => void,
): void {
  for (const backend of ['postgres', 'pglite'] as const) {
    if (!testBackends().includes(backend)) {
      announceSkip('PostgreSQL tests', 'F1_TEST_DATABASE_URL is not set (PGlite tests still run)');
      describe.skip(`${name} [${backend}: F1_TEST_DATABASE_URL not set]`, () => {});
      continue;
    }
    describe(`${name} [${backend}]`, () => {
      let database: TestDatabase | undefined;
      // The first PGlite database of a process builds the migrated template in WASM: seconds on a
      // loaded machine, more than bun's default 5 s hook timeout.
      beforeAll(async () => {
        database = await freshDatabase(backend);
      }, 60_000);
      afterAll(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error('test database not ready');
        return database;
      }, backend);
    });
  }
}
