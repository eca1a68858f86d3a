/**
 * The procedures a router exposes over REST, with what the document, the REST routes and the tests need
 * to know. A procedure is on REST when it declares `meta({ openapi: { method, path, … } })` beside
 * itself (and its `.output()`); every other procedure of the app router must be in NOT_ON_REST, with
 * the reason (operations.test.ts), so none is left out by accident.
 */
import type { AnyRouter } from '@trpc/server';
import type { Access, Meta } from '../trpc/init.ts';

/** Procedures deliberately not on REST, and why. */
export const NOT_ON_REST: Record<string, string> = {
  'predictions.onUpdate':
    'a subscription (Server-Sent Events): OpenAPI 3 cannot describe it; use /trpc or the SDK',
};

export interface RestOperation {
  /** The tRPC path, e.g. `standings.drivers`. */
  procedure: string;
  type: 'query' | 'mutation';
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The REST path under /api/v1, normalised as in the document (`/drivers/{driverId}`). */
  path: string;
  access: Access;
  tags: string[];
  hasInput: boolean;
  hasPathParameters: boolean;
  /** Extra error statuses the procedure declares (`openapi.errorResponses`). */
  errorResponses: number[];
}

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  meta?: Meta;
  inputs: unknown[];
}

function isProcedureDef(def: unknown): def is ProcedureDef {
  return typeof def === 'object' && def !== null && 'type' in def && 'inputs' in def;
}

/** Trailing slashes off, as trpc-to-openapi normalises them. */
const normalise = (path: string) => `/${path.replace(/^\/+|\/+$/g, '')}`;

/** Every procedure of a router with `meta.openapi` (and not `enabled: false`), sorted by path. */
export function restOperations(router: AnyRouter): RestOperation[] {
  const operations: RestOperation[] = [];
  for (const [procedure, value] of Object.entries(router._def.procedures)) {
    const def: unknown = (value as { _def?: unknown })._def;
    if (!isProcedureDef(def) || def.type === 'subscription') continue;
    const openapi = def.meta?.openapi;
    if (!openapi || openapi.enabled === false) continue;
    const path = normalise(openapi.path);
    operations.push({
      procedure,
      type: def.type,
      method: openapi.method,
      path,
      access: def.meta?.access ?? 'public',
      tags: openapi.tags ?? [],
      hasInput: def.inputs.length > 0,
      hasPathParameters: /\{[^}]+\}/.test(path),
      errorResponses: openapi.errorResponses ?? [],
    });
  }
  return operations.sort(
    (a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method),
  );
}
