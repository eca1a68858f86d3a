/**
 * Raw-HTTP cases no schema describes: huge and broken tRPC batches, odd procedure paths and methods,
 * broken `input=` parameters, streamed (JSONL) batches, malformed credentials and tokens with odd
 * claims, unknown routes (which must be 404s in one error shape) and odd Host headers.
 */
import { AccessTokens } from '@f1/server/auth/access-tokens';
import type { FuzzCase, Role } from './cases.ts';
import { JWT_SECRET } from './fuzz-server.ts';
import { encodeComponent } from './wire-values.ts';

type Partial = Omit<FuzzCase, 'group' | 'role' | 'tags'> & { role?: Role; tags?: string[] };

const group = (name: string, cases: Partial[]): FuzzCase[] =>
  cases.map((c) => ({ role: 'anonymous', tags: [], ...c, group: name }));

const json = { 'content-type': 'application/json' };
const q = (text: string) => encodeComponent(text);
const repeat = (path: string, n: number) => Array.from({ length: n }, () => path).join(',');

function batchCases(): FuzzCase[] {
  const badInputs = Object.fromEntries(
    Array.from({ length: 200 }, (_, i) => [String(i), { json: { limit: i % 2 ? 'x' : -1 } }]),
  );
  return group('trpc batches', [
    { label: 'batch:1000-health', method: 'GET', path: `/trpc/${repeat('health', 1000)}?batch=1` },
    {
      label: 'batch:5000-races.last',
      method: 'GET',
      path: `/trpc/${repeat('races.last', 5000)}?batch=1`,
    },
    {
      label: 'batch:10000-paths',
      method: 'GET',
      path: `/trpc/${repeat('health', 10_000)}?batch=1`,
    },
    {
      label: 'batch:200-bad-inputs',
      method: 'GET',
      path: `/trpc/${repeat('drivers.list', 200)}?batch=1&input=${q(JSON.stringify(badInputs))}`,
    },
    {
      label: 'batch:300-mutations',
      method: 'POST',
      path: `/trpc/${repeat('auth.refresh', 300)}?batch=1`,
      headers: json,
      body: JSON.stringify(
        Object.fromEntries(
          Array.from({ length: 300 }, (_, i) => [
            String(i),
            { json: { refreshToken: `bogus-${i}` } },
          ]),
        ),
      ),
    },
    {
      label: 'batch:500-admin-queries',
      role: 'admin',
      method: 'GET',
      path: `/trpc/${repeat('admin.audit', 500)}?batch=1&input=${q(JSON.stringify({ 0: { json: { action: 'x' } } }))}`,
    },
    {
      label: 'batch:mixed-unknown',
      method: 'GET',
      path: `/trpc/health,nope,drivers.list,auth.login?batch=1&input=${q('{"2":{"json":{"limit":"x"}}}')}`,
    },
    { label: 'batch:mutation-by-get', method: 'GET', path: '/trpc/health,auth.logout?batch=1' },
    {
      label: 'batch:input-array',
      method: 'GET',
      path: `/trpc/health,health?batch=1&input=${q('[]')}`,
    },
    { label: 'batch:input-string', method: 'GET', path: `/trpc/health?batch=1&input=${q('"x"')}` },
    {
      label: 'batch:input-number-items',
      method: 'GET',
      path: `/trpc/drivers.list?batch=1&input=${q('{"0":1}')}`,
    },
    {
      label: 'batch:input-proto',
      tags: ['proto-key'],
      method: 'GET',
      path: `/trpc/drivers.list?batch=1&input=${q('{"__proto__":{"json":{"limit":1}},"constructor":{"json":1}}')}`,
    },
    {
      label: 'batch:input-far-index',
      method: 'GET',
      path: `/trpc/drivers.list?batch=1&input=${q('{"99999999":{"json":{}},"-1":{"json":{}}}')}`,
    },
    {
      label: 'batch:body-not-object',
      method: 'POST',
      path: '/trpc/auth.refresh,auth.refresh?batch=1',
      headers: json,
      body: '[1,2]',
    },
    { label: 'batch:empty-paths', method: 'GET', path: '/trpc/,,,?batch=1' },
    {
      label: 'batch:streamed-errors',
      method: 'GET',
      path: `/trpc/drivers.list,drivers.get,nope?batch=1&input=${q('{"0":{"json":{"limit":"x"}},"1":{"json":{"driverId":"\\u0000"}}}')}`,
      headers: { 'trpc-accept': 'application/jsonl' },
      tags: ['nul'],
    },
    {
      label: 'batch:streamed-1000',
      method: 'GET',
      path: `/trpc/${repeat('health', 1000)}?batch=1`,
      headers: { 'trpc-accept': 'application/jsonl' },
    },
  ]);
}

function pathCases(): FuzzCase[] {
  const paths = [
    '',
    ',',
    '%00',
    '__proto__',
    'constructor',
    'toString',
    'drivers.__proto__',
    'drivers.constructor',
    'drivers',
    '_def',
    'health.',
    '.health',
    'health..x',
    `${'a'.repeat(60_000)}`,
    'health%2Cdrivers.list',
    'drivers.list/extra',
    '%ZZ',
    '%ED%A0%80',
  ];
  const inputs = [
    '%ZZ',
    q('{'),
    'undefined',
    '%00',
    q('{"json":'),
    q('null'),
    q('{"json":{"__proto__":{"x":1}}}'),
  ];
  return group('trpc paths and methods', [
    ...paths.map(
      (p): Partial => ({
        label: `path:${p.slice(0, 30)}`,
        method: 'GET',
        path: `/trpc/${p}`,
        tags: p === '%00' ? ['nul'] : [],
      }),
    ),
    ...inputs.map(
      (i): Partial => ({
        label: `input-param:${i.slice(0, 30)}`,
        method: 'GET',
        path: `/trpc/drivers.list?input=${i}`,
      }),
    ),
    ...['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'].map(
      (m): Partial => ({ label: `method:${m}`, method: m, path: '/trpc/health' }),
    ),
    { label: 'method:GET-mutation', method: 'GET', path: '/trpc/auth.login' },
    {
      label: 'method:POST-query',
      method: 'POST',
      path: '/trpc/drivers.list',
      headers: json,
      body: '{"json":{}}',
    },
    {
      label: 'method:POST-subscription',
      method: 'POST',
      path: '/trpc/predictions.onUpdate',
      headers: json,
      body: '{"json":{"season":2021,"round":3}}',
    },
    { label: 'content-type:none', method: 'POST', path: '/trpc/auth.login', body: '{"json":{}}' },
    {
      label: 'content-type:text',
      method: 'POST',
      path: '/trpc/auth.login',
      headers: { 'content-type': 'text/plain' },
      body: '{"json":{}}',
    },
    {
      label: 'content-type:form',
      method: 'POST',
      path: '/trpc/auth.login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    },
    {
      label: 'content-type:multipart',
      method: 'POST',
      path: '/trpc/auth.login',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\n\r\n--x--',
    },
    {
      label: 'body:invalid-utf8',
      method: 'POST',
      path: '/trpc/auth.login',
      headers: json,
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    },
    {
      label: 'body:nul',
      tags: ['nul'],
      method: 'POST',
      path: '/trpc/auth.login',
      headers: json,
      body: '\u0000',
    },
    {
      label: 'body:1MB-garbage',
      tags: ['huge'],
      method: 'POST',
      path: '/trpc/auth.refresh',
      headers: json,
      body: '{'.repeat(1 << 20),
    },
  ]);
}

async function credentialCases(): Promise<FuzzCase[]> {
  const tokens = new AccessTokens({
    secret: JWT_SECRET,
    ephemeral: false,
    accessTokenMinutes: 15,
    refreshTokenDays: 7,
    issuer: 'f1-analytics',
  });
  const wrongKey = new AccessTokens({
    secret: 'another-secret-'.padEnd(48, 'y'),
    ephemeral: false,
    accessTokenMinutes: 15,
    refreshTokenDays: 7,
    issuer: 'f1-analytics',
  });
  const odd = [
    await tokens.sign({ userId: 9_007_199_254_740_991_000, role: 'admin', sessionId: 'x' }),
    await tokens.sign({ userId: 1, role: 'admin', sessionId: '\u0000' }),
    await tokens.sign({ userId: 1, role: 'admin', sessionId: '__proto__' }),
    await tokens.sign({ userId: 0, role: 'user', sessionId: 'x'.repeat(100) }),
    await tokens.sign({ userId: 1, role: 'user', sessionId: 'x', now: new Date(0) }),
    await wrongKey.sign({ userId: 1, role: 'admin', sessionId: 'x' }),
    'eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.',
    'a.b.c',
    'x'.repeat(8_000),
  ];
  const authorization = [
    'Bearer',
    'Bearer ',
    'Basic YTpi',
    'Bearer a b',
    'bearer\tf1k_',
    `Bearer f1k_${'z'.repeat(64)}`,
    ...odd.map((t) => `Bearer ${t}`),
  ];
  const apiKeys = ['f1k_', `f1k_${'z'.repeat(64)}`, 'x'.repeat(8_000), '\u00ff\u00fe', ' f1k_ '];
  const targets = ['/trpc/auth.me', '/api/v1/auth/me', '/trpc/admin.audit', '/api/v1/drivers'];
  const cases: Partial[] = [];
  for (const target of targets) {
    for (const value of authorization)
      cases.push({
        label: `authorization:${value.slice(0, 40)}`,
        method: 'GET',
        path: target,
        headers: { authorization: value },
      });
    for (const value of apiKeys)
      cases.push({
        label: `x-api-key:${value.slice(0, 40)}`,
        method: 'GET',
        path: target,
        headers: { 'x-api-key': value },
      });
    cases.push({
      label: 'both-credentials',
      method: 'GET',
      path: target,
      headers: { authorization: 'Bearer x', 'x-api-key': 'f1k_x' },
    });
  }
  return group('credentials', cases);
}

const errorShape = (body: string): string => {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return Object.keys(parsed).sort().join(',');
  } catch {
    return 'not JSON';
  }
};

/** Unknown routes must be 404s, with the same error shape at the root and under /api/v1. */
function routingCases(): FuzzCase[] {
  let rootShape: string | null = null;
  const expect = {
    check: (status: number, body: string) => {
      if (status !== 404) return false;
      const shape = errorShape(body);
      rootShape ??= shape;
      return shape === rootShape;
    },
    says: 'an unknown route is a 404 with the one error shape',
  };
  const unknown = (
    label: string,
    path: string,
    extra: { headers?: Record<string, string>; tags?: string[] } = {},
  ): Partial => ({ label, method: 'GET', path, expect, ...extra });
  return group('routing', [
    unknown('root:/nope', '/nope'),
    unknown('api:/api/v1/nope', '/api/v1/nope', { tags: ['404-shape'] }),
    unknown('api:/api/v2/drivers', '/api/v2/drivers'),
    unknown('health:/health/nope', '/health/nope'),
    unknown('host:x /zz/health', '/zz/health', { headers: { host: 'x' }, tags: ['host'] }),
    unknown('host:ab /zz/health', '/zz/health', { headers: { host: 'ab' }, tags: ['host'] }),
    unknown('host:long /zz/health', '/zz/health', { headers: { host: 'h'.repeat(2_000) } }),
    unknown('docs:traversal', '/api/docs/%2e%2e%2f%2e%2e%2fpackage.json'),
    unknown('docs:proto', '/api/docs/__proto__'),
    { label: 'host:empty /health', method: 'GET', path: '/health', headers: { host: '' } },
    { label: 'host:odd /health', method: 'GET', path: '/health', headers: { host: '[::1' } },
    { label: 'rest:HEAD /drivers', method: 'HEAD', path: '/api/v1/drivers' },
    { label: 'rest:OPTIONS /drivers', method: 'OPTIONS', path: '/api/v1/drivers' },
    {
      label: 'rest:PUT /drivers',
      method: 'PUT',
      path: '/api/v1/drivers',
      headers: json,
      body: '{}',
    },
    { label: 'rest:trailing-slashes', method: 'GET', path: '/api/v1/drivers///' },
    { label: 'rest:encoded-slash', method: 'GET', path: '/api/v1/drivers/a%2Fb' },
    { label: 'rest:dot-segments', method: 'GET', path: '/api/v1/drivers/%2e%2e' },
  ]);
}

export async function rawCases(): Promise<FuzzCase[]> {
  return [...batchCases(), ...pathCases(), ...(await credentialCases()), ...routingCases()];
}
