/**
 * The access table: every procedure of the whole `appRouter`, whoever added it, with the role it
 * requires. Derived from the router at run time, so a procedure added later is covered without
 * touching this file; it fails when a procedure
 *   - does not declare `meta.access` (built outside the procedure ladder),
 *   - is a public mutation not on the short, reviewed list below,
 *   - answers an anonymous caller with anything but UNAUTHORIZED, or a caller whose role is too weak
 *     with anything but FORBIDDEN (i.e. its declared access is not what is enforced),
 *   - is public but refuses anonymous callers (declared access lies the other way).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Role } from '@f1/db/schema';
import { authServices } from '@f1/testkit/auth';
import { callerFor } from '@f1/testkit/callers';
import { settle } from '@f1/testkit/errors';
import { freshDatabase, type TestDatabase } from '@f1/testkit/postgres';
import type { AnyRouter } from '@trpc/server';
import type { Services } from '../services.ts';
import type { Principal } from './context.ts';
import type { Access, Meta } from './init.ts';
import { appRouter } from './router.ts';

/** Public mutations, each reviewed: anyone may call these. Add to this list deliberately. */
const PUBLIC_MUTATIONS = new Set(['auth.register', 'auth.login', 'auth.refresh']);

const ROLES: Role[] = ['user', 'ml_service', 'admin'];
const RANK: Record<Access, number> = { public: 0, user: 1, ml_service: 2, admin: 3 };

interface Row {
  path: string;
  type: string;
  access: Access | undefined;
}

async function accessTable(router: AnyRouter): Promise<Row[]> {
  // Lazy sub-routers register their procedures only when loaded.
  for (
    let lazy = Object.values(router._def.lazy);
    lazy.length;
    lazy = Object.values(router._def.lazy)
  ) {
    await Promise.all(lazy.map((l) => (l as { load: () => Promise<void> }).load()));
  }
  return Object.entries(
    router._def.procedures as Record<string, { _def: { type: string; meta?: Meta } }>,
  )
    .map(([path, procedure]) => ({
      path,
      type: procedure._def.type,
      access: procedure._def.meta?.access,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

const table = await accessTable(appRouter);

let database: TestDatabase;
let services: Services;
beforeAll(async () => {
  database = await freshDatabase('pglite');
  // The table makes many anonymous calls from one "IP"; the limiter is tested elsewhere.
  services = authServices({ database, env: { F1_RATE_LIMIT_REQUESTS: '1000000' } });
}, 60_000);
afterAll(() => database.close());

/** The ladder's own refusals (procedures may refuse for their own reasons with the same codes). */
const LADDER_REFUSAL = /^(UNAUTHORIZED: authentication required|FORBIDDEN: requires the \w+ role)$/;

/** Calls a procedure by path as `principal`; returns 'OK' or '<tRPC code>: <message>'. */
async function callAs(path: string, principal: Principal | null): Promise<string> {
  const caller: unknown = callerFor(services, principal);
  const procedure = path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  const error = await settle(() => (procedure as (input?: unknown) => Promise<unknown>)(undefined));
  return error ? `${error.code}: ${error.message}` : 'OK';
}

const principals = (role: Role): Principal[] => [
  { kind: 'user', id: 2_000_000, role, sessionId: 'access-table' },
  { kind: 'api_key', id: 2_000_000, role },
];

test('the router has procedures, and every one declares meta.access', () => {
  expect(table.length).toBeGreaterThan(5);
  console.log(
    `access table (${table.length} procedures):\n${table.map((r) => `  ${r.path.padEnd(40)} ${r.type.padEnd(9)} ${r.access}`).join('\n')}`,
  );
  expect(table.filter((r) => !r.access).map((r) => r.path)).toEqual([]);
});

test('public mutations are exactly the reviewed ones', () => {
  const publicMutations = table
    .filter((r) => r.access === 'public' && r.type === 'mutation')
    .map((r) => r.path);
  expect(publicMutations.filter((p) => !PUBLIC_MUTATIONS.has(p))).toEqual([]);
});

describe('enforcement matches the declaration', () => {
  const guarded = table.filter((r) => r.access && r.access !== 'public');
  test.each(guarded.map((r) => [r.path, r.access] as const))(
    '%s (requires %s): anonymous → UNAUTHORIZED, weaker roles → FORBIDDEN',
    async (path, access) => {
      expect(await callAs(path, null)).toBe('UNAUTHORIZED: authentication required');
      const weaker = ROLES.filter((role) => RANK[role] < RANK[access ?? 'admin']);
      for (const role of weaker) {
        for (const principal of principals(role)) {
          expect(`${principal.kind}/${role} → ${await callAs(path, principal)}`).toBe(
            `${principal.kind}/${role} → FORBIDDEN: requires the ${access} role`,
          );
        }
      }
      // The required role gets past the access check (it may still fail on the missing input).
      const [enough] = principals(access === 'public' || !access ? 'user' : access);
      expect(await callAs(path, enough ?? null)).not.toMatch(LADDER_REFUSAL);
    },
  );

  const open = table.filter((r) => r.access === 'public' && r.type === 'query');
  test.each(open.map((r) => [r.path] as const))(
    '%s (public) admits anonymous callers',
    async (path) => {
      expect(await callAs(path, null)).not.toMatch(LADDER_REFUSAL);
    },
  );
});
