import { describe, expect, expectTypeOf, test } from 'bun:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { appRouter } from '../trpc/router.ts';
import snapshot from './document.snapshot.json' with { type: 'json' };
import { buildOpenApiDocument, openApiJson } from './document.ts';
import { documentOperations } from './document-operations.ts';
import type { OpenApiOperation } from './meta.ts';
import { restOperations } from './operations.ts';
import { probeRouter } from './testing.ts';

const probeDoc = buildOpenApiDocument('9.9.9', probeRouter);
type Op = { security?: unknown; responses: Record<string, { $ref?: string; headers?: object }> };
const op = (path: string, method: 'get' | 'post') =>
  (probeDoc.paths?.[path] as Record<string, Op> | undefined)?.[method];

describe('the OpenAPI document', () => {
  test('is valid OpenAPI 3.1 (swagger-parser), for the probe and the real router', async () => {
    expect(probeDoc.openapi).toBe('3.1.0');
    await SwaggerParser.validate(JSON.parse(JSON.stringify(probeDoc)));
    await SwaggerParser.validate(JSON.parse(openApiJson('1.0.0')));
  });

  test('lists exactly the procedures with REST metadata, under /api/v1', () => {
    expect(probeDoc.servers).toEqual([{ url: '/api/v1' }]);
    expect(Object.keys(probeDoc.paths ?? {}).sort()).toEqual([
      '/drivers/{driverId}',
      '/me',
      '/predictions',
      '/seasons/{season}/races/{round}/results',
    ]);
    expect(restOperations(probeRouter).map((o) => `${o.method} ${o.path} ${o.access}`)).toEqual([
      'GET /drivers/{driverId} public',
      'GET /me user',
      'POST /predictions ml_service',
      'GET /seasons/{season}/races/{round}/results public',
    ]);
  });

  test('security follows the access level the procedure enforces', () => {
    expect(op('/drivers/{driverId}', 'get')?.security).toEqual([
      {},
      { bearerAuth: [] },
      { apiKeyAuth: [] },
    ]);
    expect(op('/predictions', 'post')?.security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }]);
    expect(op('/me', 'get')?.security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }]);
    expect(Object.keys(probeDoc.components?.securitySchemes ?? {}).sort()).toEqual([
      'apiKeyAuth',
      'bearerAuth',
    ]);
  });

  test('errors and rate limits are documented on every operation', () => {
    const statuses = (path: string, method: 'get' | 'post') =>
      Object.keys(op(path, method)?.responses ?? {}).sort();
    expect(statuses('/drivers/{driverId}', 'get')).toEqual([
      '200',
      '400',
      '404',
      '429',
      '500',
      '503',
    ]);
    // Declared extras (409) join the derived ones; a status without a documented shape (999) does not.
    expect(statuses('/predictions', 'post')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '409',
      '429',
      '500',
      '503',
    ]);
    expect(statuses('/me', 'get')).toEqual(['200', '401', '403', '429', '500', '503']);
    expect(op('/predictions', 'post')?.responses['429']?.$ref).toBe(
      '#/components/responses/TooManyRequests',
    );
    expect(Object.keys(op('/me', 'get')?.responses['200']?.headers ?? {})).toEqual([
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
    ]);
    const schemas = Object.keys(probeDoc.components?.schemas ?? {});
    expect(schemas).toContain('Error');
    expect(schemas).toContain('ProbeDriver');
    expect(schemas.filter((s) => s.startsWith('error.'))).toEqual([]);
  });

  test('the real document covers every REST procedure of the app router', () => {
    const doc = JSON.parse(openApiJson('1.0.0')) as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    // The Ergast facade's paths are the one group that is not a REST procedure (next test).
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method, op]) => method !== 'servers' && !op.tags?.includes('Ergast'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    const declared = restOperations(appRouter).map((o) => `${o.method} ${o.path}`);
    expect(documented.sort()).toEqual(declared.sort());
    expect(declared).toContain('GET /health');
  });

  test('the Ergast facade is one tagged group under its own prefixes, one path per endpoint', () => {
    const doc = JSON.parse(openApiJson('1.0.0')) as {
      tags: { name: string }[];
      paths: Record<string, { servers?: { url: string }[]; get?: { tags?: string[] } }>;
    };
    expect(doc.tags.map((t) => t.name)).toContain('Ergast');
    const ergast = Object.entries(doc.paths).filter(([, item]) =>
      item.get?.tags?.includes('Ergast'),
    );
    for (const [, item] of ergast)
      expect(item.servers).toEqual([{ url: '/ergast/f1' }, { url: '/api/f1' }]);
    const endpoints = new Set(ergast.map(([path]) => /\/(\w+)\.json$/.exec(path)?.[1]));
    expect([...endpoints].sort()).toEqual(
      [
        'circuits',
        'constructors',
        'constructorstandings',
        'drivers',
        'driverstandings',
        'laps',
        'pitstops',
        'qualifying',
        'races',
        'results',
        'seasons',
        'sprint',
        'status',
      ].sort(),
    );
    expect(Object.keys(doc.paths)).toContain('/{season}/{round}/laps.json');
    expect(Object.keys(doc.paths)).not.toContain('/{season}/laps.json');
  });

  test('describes the same operations as before the REST convention moved into the routers', () => {
    // document.snapshot.json was taken from the document when predictions, accuracy and ratings were
    // still described by a separate table (REST_PATHS) and doc-only schemas: same paths, methods,
    // parameters, statuses and success schemas, and the same named components. A new operation is
    // added to it on purpose (the diff shows only additions), regenerated with:
    //   bun -e "import { openApiJson } from './server/src/openapi/document.ts';
    //     import { documentOperations } from './server/src/openapi/document-operations.ts';
    //     const d = JSON.parse(openApiJson('1.0.0'));
    //     await Bun.write('server/src/openapi/document.snapshot.json', JSON.stringify({
    //       operations: documentOperations(d), schemas: Object.keys(d.components.schemas).sort() }, null, 2))"
    //   && bunx biome check --write server/src/openapi/document.snapshot.json
    const doc = JSON.parse(openApiJson('1.0.0')) as Parameters<typeof documentOperations>[0];
    expect(documentOperations(doc)).toEqual(snapshot.operations);
    expect(Object.keys(doc.components?.schemas ?? {}).sort()).toEqual(snapshot.schemas);
  });

  test('the meta type stays assignable to trpc-to-openapi’s, without naming zod', () => {
    expectTypeOf<OpenApiOperation>().toMatchTypeOf<NonNullable<OpenApiMeta['openapi']>>();
    // What the routers declare is what the document lists: every operation with its tag and access.
    const submit = restOperations(appRouter).find((o) => o.procedure === 'predictions.submit');
    expect(submit).toEqual({
      procedure: 'predictions.submit',
      type: 'mutation',
      method: 'POST',
      path: '/predictions',
      access: 'ml_service',
      tags: ['predictions'],
      hasInput: true,
      hasPathParameters: false,
      errorResponses: [404, 409, 412],
    });
    const doc = JSON.parse(openApiJson('1.0.0')) as {
      paths: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
    };
    expect(doc.paths['/ratings/history']?.get?.summary).toBe(
      "One driver's or team's rating, race by race",
    );
    expect(doc.paths['/models']?.get?.tags).toEqual(['predictions']);
    expect(doc.paths['/seasons/{season}/races/{round}/laps']?.get?.tags).toEqual(['races']);
    expect(doc.paths['/seasons/{season}/races/{round}/pit-stops']?.get?.summary).toBe(
      "A race's pit stops in the order they happened",
    );
  });
});
