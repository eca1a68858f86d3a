/** What one fuzzed request is: enough to send it, to reproduce it, and to attribute a failure. */
export type Role = 'anonymous' | 'user' | 'ml_service' | 'admin';

export const ROLES: readonly Role[] = ['anonymous', 'user', 'ml_service', 'admin'];

export interface FuzzCase {
  /** The procedure, REST operation or raw-HTTP topic; failures and health checks are per group. */
  group: string;
  /** What is malformed (`season=NaN`, `meta:bogus-refeq`). */
  label: string;
  /** Findings a failure may belong to (see findings.ts). */
  tags: string[];
  role: Role;
  method: string;
  /** Path and query, from the root (`/trpc/drivers.list?input=…`). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** A check beyond the common ones, e.g. an unknown route must be a 404; true when it holds. */
  expect?: { check: (status: number, body: string) => boolean; says: string };
}

/** Who calls a procedure of this access level by default (the one that gets past the access check). */
export function callerFor(access: string | undefined): Role {
  return access === 'user' || access === 'ml_service' || access === 'admin' ? access : 'anonymous';
}
