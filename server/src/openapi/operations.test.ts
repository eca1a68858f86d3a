import { describe, expect, test } from 'bun:test';
import { appRouter } from '../trpc/router.ts';
import { NOT_ON_REST, restOperations } from './operations.ts';
import { probeRouter } from './testing.ts';

const procedures = Object.entries(appRouter._def.procedures).map(([name, p]) => ({
  name,
  type: (p as { _def: { type: string } })._def.type,
}));

describe('the REST surface', () => {
  test('every procedure is on REST or listed as not, with a reason', () => {
    const onRest = new Set(restOperations(appRouter).map((o) => o.procedure));
    const undecided = procedures
      .filter((p) => !onRest.has(p.name) && !(p.name in NOT_ON_REST))
      .map((p) => p.name);
    expect(undecided).toEqual([]);
    for (const reason of Object.values(NOT_ON_REST)) expect(reason.length).toBeGreaterThan(10);
  });

  test('names only procedures that exist and are not on REST, and no two on one route', () => {
    const names = new Set(procedures.map((p) => p.name));
    const onRest = new Set(restOperations(appRouter).map((o) => o.procedure));
    expect(Object.keys(NOT_ON_REST).filter((name) => !names.has(name) || onRest.has(name))).toEqual(
      [],
    );
    const routes = restOperations(appRouter).map((o) => `${o.method} ${o.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  test('reads are GETs, writes are not', () => {
    for (const op of restOperations(appRouter))
      expect(
        `${op.procedure} ${op.type === 'query' ? op.method === 'GET' : op.method !== 'GET'}`,
      ).toBe(`${op.procedure} true`);
  });

  test('every REST procedure declares its output beside itself', () => {
    const all = appRouter._def.procedures as unknown as Record<
      string,
      { _def: { output?: unknown } }
    >;
    const withoutOutput = restOperations(appRouter)
      .map((o) => o.procedure)
      .filter((name) => all[name]?._def.output === undefined);
    expect(withoutOutput).toEqual([]);
  });

  test('a procedure with `enabled: false` or without meta.openapi is not an operation', () => {
    expect(restOperations(probeRouter).map((o) => o.procedure)).toEqual([
      'driver',
      'me',
      'submit',
      'results',
    ]);
  });
});
