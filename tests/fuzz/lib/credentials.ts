/**
 * The fuzz callers' credentials: a user's access token (created in the database, logged in over HTTP
 * like any client), an ml_service API key and an admin API key (sent as a bearer token, the other
 * accepted form). Fuzzed mutations can end them (auth.logoutAll, apiKeys.revoke, admin.users.update),
 * so `renew()` issues fresh ones; the runner calls it after every group.
 */

import { createAccount } from '@f1/server/auth/accounts';
import { issueApiKey } from '@f1/server/auth/api-keys';
import type { Role } from './cases.ts';
import type { FuzzServer } from './fuzz-server.ts';
import type { Random } from './random.ts';

const PASSWORD = 'correct horse battery staple';

export class Credentials {
  private user = '';
  private ml = '';
  private admin = '';
  private serial = 0;

  constructor(
    private readonly server: FuzzServer,
    private readonly random: Random,
  ) {}

  async renew(): Promise<void> {
    const { db } = this.server.database;
    const email = `fuzz-${process.pid}-${++this.serial}@example.test`;
    await createAccount({ db, config: { bcryptCost: 10 } }, { email, password: PASSWORD });
    const res = await fetch(`${this.server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': this.random.ip() },
      body: JSON.stringify({ email, password: PASSWORD }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as { accessToken?: string };
    if (!body.accessToken)
      throw new Error(`fuzz login failed: ${res.status} ${JSON.stringify(body)}`);
    this.user = body.accessToken;
    this.ml = (await issueApiKey(db, { name: 'fuzz-ml', role: 'ml_service', createdBy: null })).key;
    this.admin = (
      await issueApiKey(db, { name: 'fuzz-admin', role: 'admin', createdBy: null })
    ).key;
  }

  headers(role: Role): Record<string, string> {
    switch (role) {
      case 'user':
        return { authorization: `Bearer ${this.user}` };
      case 'ml_service':
        return { 'x-api-key': this.ml };
      case 'admin':
        return { authorization: `Bearer ${this.admin}` };
      default:
        return {};
    }
  }
}
