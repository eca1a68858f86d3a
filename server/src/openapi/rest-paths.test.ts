import { describe, expect, test } from 'bun:test';
import { appRouter } from '../trpc/router.ts';
import { restOperations } from './operations.ts';
import { NOT_ON_REST, REST_PATHS } from './rest-paths.ts';
import { restView } from './rest-view.ts';
import { probeRouter } from './testing.ts';

const procedures = Object.entries(appRouter._def.procedures).map(([name, p]) => ({
  name,
  type: (p as { _def: { type: string } })._def.type,
}));

describe('the REST surface', () => {
  test('every procedure is on REST or listed as not, with a reason', () => {
    const onRest = new Set(restOperations(restView(appRouter)).map((o) => o.procedure));
    const undecided = procedures
      .filter((p) => !onRest.has(p.name) && !(p.name in NOT_ON_REST))
      .map((p) => p.name);
    expect(undecided).toEqual([]);
    for (const reason of Object.values(NOT_ON_REST)) expect(reason.length).toBeGreaterThan(10);
  });

  test('names only procedures that exist, each once, and no two on one route', () => {
    const names = new Set(procedures.map((p) => p.name));
    expect(Object.keys(REST_PATHS).filter((name) => !names.has(name))).toEqual([]);
    expect(Object.keys(NOT_ON_REST).filter((name) => name in REST_PATHS)).toEqual([]);
    const routes = restOperations(restView(appRouter)).map((o) => `${o.method} ${o.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  test('reads are GETs, writes are not', () => {
    for (const op of restOperations(restView(appRouter)))
      expect(
        `${op.procedure} ${op.type === 'query' ? op.method === 'GET' : op.method !== 'GET'}`,
      ).toBe(`${op.procedure} true`);
  });

  test('a procedure declaring meta.openapi and listed here too is refused', () => {
    expect(() => restView(probeRouter, { driver: { method: 'GET', path: '/elsewhere' } })).toThrow(
      'driver: REST path declared both in meta.openapi and in REST_PATHS',
    );
  });
});
