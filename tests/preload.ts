/**
 * Loaded before every test file (bunfig.toml `[test] preload`).
 *
 * Tests never read the developer's own `F1_*` settings: each test builds its config explicitly. The only
 * variables that matter are F1_TEST_DATABASE_URL and F1_TEST_REDIS_URL (real servers) and
 * F1_TEST_DATA_DIR (the shared real-data folder).
 *
 * When the server URLs are not set, the local PostgreSQL and Redis at their standard addresses are used if
 * they answer, so `bun run test` on a developer machine (or CI) exercises the real servers without extra
 * flags. `F1_TEST_SERVICES=none` turns that off (PGlite only; Redis and PostgreSQL tests are skipped).
 */
import { connect } from 'node:net';

process.env.F1_ENVIRONMENT = 'test';
process.env.F1_LOG_LEVEL ??= 'silent';

const LOCAL = {
  F1_TEST_DATABASE_URL: { port: 5432, url: 'postgres://postgres@127.0.0.1:5432/postgres' },
  F1_TEST_REDIS_URL: { port: 6379, url: 'redis://127.0.0.1:6379' },
} as const;

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 300 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

if (process.env.F1_TEST_SERVICES !== 'none') {
  for (const [variable, local] of Object.entries(LOCAL)) {
    if (!process.env[variable]?.trim() && (await answers(local.port)))
      process.env[variable] = local.url;
  }
  console.warn(
    `test services: PostgreSQL ${process.env.F1_TEST_DATABASE_URL || 'not available (PGlite only)'}; ` +
      `Redis ${process.env.F1_TEST_REDIS_URL || 'not available (Redis tests skipped)'}`,
  );
}
