/**
 * A fresh PostgreSQL database with the read fixtures and two callers of them: a `user` API key
 * (issued by the admin CLI, as an operator would) and an account whose access tokens come from
 * `auth.login`'s own code on a given Redis connection. Shared by the tests that start a real server
 * and read with each kind of credential (cold-burst, redis-fault).
 */

import type { Redis } from '@f1/core/redis';
import { createAccount, login } from '@f1/server/auth/accounts';
import { testConfig } from './config.ts';
import { seedReadFixtures } from './fixtures/read-api.ts';
import { createApiKeyWithCli } from './live-server.ts';
import { freshDatabase, type TestDatabase } from './postgres.ts';
import { testServices } from './server.ts';

export interface ReadFixtureCallers {
  database: TestDatabase;
  apiKey: string;
  /** An access token for the account, its session stored through `redis`. */
  accessToken(redis: Redis): Promise<string>;
}

/** `name` names the API key and the account (`<name>@example.com`). */
export async function readFixtureCallers(name: string): Promise<ReadFixtureCallers> {
  const database = await freshDatabase('postgres');
  await seedReadFixtures(database.db);
  const apiKey = await createApiKeyWithCli({ F1_DATABASE_URL: database.url ?? '' }, name, 'user');
  const credentials = { email: `${name}@example.com`, password: `${name}-password-1` };
  await createAccount({ db: database.db, config: testConfig() }, credentials);
  return {
    database,
    apiKey,
    async accessToken(redis) {
      const services = testServices({ database, redis });
      const tokens = await login(services, credentials, { userAgent: null, ip: null });
      return tokens.accessToken;
    },
  };
}
