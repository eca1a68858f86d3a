import { expect, test } from 'bun:test';
import type { Database } from '@f1/db/connection/connect';
import { authServices, recordingLogger } from '@f1/testkit/auth';
import { testApp } from '@f1/testkit/server';
import { newApiKey } from './secrets.ts';

test('a database failure while checking an API key is a logged 500 that reveals nothing', async () => {
  const broken: Database = {
    get db(): never {
      throw new Error('connection refused to 10.1.2.3:5432');
    },
    kind: 'postgres',
    pool: { maxConnections: 1 },
    close: async () => {},
  };
  const logger = recordingLogger();
  const app = testApp(authServices({ database: broken, logger }));
  const { key } = newApiKey();
  const res = await app.handle(
    new Request('http://test.local/trpc/auth.me', { headers: { 'x-api-key': key } }),
  );
  expect(res.status).toBe(500);
  const text = await res.text();
  expect(text).not.toContain('10.1.2.3');
  expect(text).not.toContain(key);
  expect(logger.lines.some((l) => l.startsWith('error tRPC procedure failed'))).toBe(true);
  expect(logger.lines.join('\n')).not.toContain(key);
});
