/**
 * Test helpers for authentication: services with a cheap bcrypt cost, users of each role with a live
 * session and access token (made directly, so tests do not spend the login rate limit), and a logger
 * that keeps every line for "no secrets in logs" assertions.
 */

import type { Logger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';
import type { Database } from '@f1/db/connection/connect';
import type { Role } from '@f1/db/schema';
import { createAccount } from '@f1/server/auth/accounts';
import type { RateLimitPolicy } from '@f1/server/rate-limit/limiter';
import type { RateLimitPolicyName } from '@f1/server/rate-limit/policies';
import { Services } from '@f1/server/services';
import { testConfig } from './config.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface RecordingLogger extends Logger {
  lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export function authServices(init: {
  database: Database;
  redis?: Redis | null;
  env?: Record<string, string>;
  logger?: Logger;
  rateLimitOverrides?: Partial<Record<RateLimitPolicyName, Partial<RateLimitPolicy>>>;
}): Services {
  return new Services({
    config: testConfig({ F1_BCRYPT_COST: '10', ...init.env }),
    database: init.database,
    redis: init.redis ?? null,
    logger: init.logger ?? recordingLogger(),
    rateLimitOverrides: init.rateLimitOverrides,
  });
}

let counter = 0;
export const uniqueEmail = (tag = 'user') => `${tag}-${process.pid}-${++counter}@example.test`;

/** A user of the given role with a live session; `token` is a valid access token for it. */
export async function userWithToken(services: Services, role: Role = 'user') {
  const email = uniqueEmail(role);
  const user = await createAccount(services, { email, password: TEST_PASSWORD, role });
  const { session, refreshToken } = await services.sessions.create(user.id, {
    userAgent: 'test',
    ip: '127.0.0.1',
  });
  const token = await services.accessTokens.sign({ userId: user.id, role, sessionId: session.id });
  return { user, email, session, refreshToken, token };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
