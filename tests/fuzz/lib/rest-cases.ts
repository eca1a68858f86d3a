/**
 * Malformed REST requests for every operation of the OpenAPI document (/api/openapi.json), derived
 * from its parameter and body schemas: bad path parameters, bad and extra query parameters
 * (prototype keys among them), malformed JSON bodies and the wrong content types.
 */
import { callerFor, type FuzzCase, ROLES, type Role } from './cases.ts';
import type { Random } from './random.ts';
import {
  badValues,
  baseline,
  fieldPaths,
  type JsonSchema,
  type Resolve,
  resolver,
  setPath,
} from './schema-values.ts';
import {
  Deep,
  encodeComponent,
  queryWord,
  RawObject,
  restBodyText,
  type Tree,
} from './wire-values.ts';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: JsonSchema;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: Record<string, unknown>[];
}

export interface OpenApiDocument {
  /** Path items; one with its own `servers` (the Ergast facade) is served under the first of them. */
  paths: Record<string, Record<string, Operation> & { servers?: { url: string }[] }>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface RestOperationInfo {
  method: string;
  path: string;
  /** Where the path is served: `/api/v1`, or the path item's own server (`/ergast/f1`). */
  base: string;
  access: string;
  parameters: Parameter[];
  body: JsonSchema | null;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation the document lists; its access level read from its security requirement. */
export function restOperationsOf(doc: OpenApiDocument): RestOperationInfo[] {
  const out: RestOperationInfo[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const anonymous = operation.security?.some((s) => Object.keys(s).length === 0) ?? true;
      out.push({
        method: method.toUpperCase(),
        path,
        base: item.servers?.[0]?.url ?? '/api/v1',
        access: anonymous ? 'public' : 'protected',
        parameters: operation.parameters ?? [],
        body: operation.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return out;
}

/** Who calls a protected operation: admin paths by an admin, predictions by an ML service, else a user. */
function ownerOf(op: RestOperationInfo): Role {
  if (op.access === 'public') return 'anonymous';
  if (/^\/(admin|api-keys)/.test(op.path)) return 'admin';
  if (op.path.startsWith('/predictions')) return 'ml_service';
  return callerFor('user');
}

interface Parts {
  pathParams: Record<string, Tree>;
  query: [string, Tree][];
  body?: { text: string | Uint8Array; contentType?: string };
}

function buildRequest(
  op: RestOperationInfo,
  parts: Parts,
): Pick<FuzzCase, 'method' | 'path' | 'headers' | 'body'> {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeComponent(queryWord(parts.pathParams[name])),
  );
  const query = parts.query
    .map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(queryWord(v))}`)
    .join('&');
  const headers: Record<string, string> = {};
  if (parts.body?.contentType) headers['content-type'] = parts.body.contentType;
  return {
    method: op.method,
    path: `${op.base}${path}${query ? `?${query}` : ''}`,
    headers,
    ...(parts.body ? { body: parts.body.text } : {}),
  };
}

const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];
const JSON_TYPE = 'application/json';

function bodyCases(schema: JsonSchema, resolve: Resolve, random: Random, perField: number) {
  const base = baseline(schema, resolve);
  const entries =
    base !== null && typeof base === 'object' && !Array.isArray(base) ? Object.entries(base) : [];
  const json = (tree: Tree) => ({ text: restBodyText(tree), contentType: JSON_TYPE });
  const raw = (text: string | Uint8Array, contentType: string | undefined = JSON_TYPE) => ({
    text,
    contentType,
  });
  const baseText = restBodyText(base);
  const out: { label: string; tags: string[]; body: NonNullable<Parts['body']> }[] = [
    { label: 'body:null', tags: [], body: json(null) },
    { label: 'body:number', tags: [], body: json(7) },
    { label: 'body:string', tags: [], body: json('x') },
    { label: 'body:array', tags: [], body: json([base]) },
    { label: 'body:empty-object', tags: [], body: json({}) },
    { label: 'body:extra-field', tags: [], body: json(new RawObject([...entries, ['extra', 1]])) },
    ...PROTO_KEYS.map((key) => ({
      label: `body:key-${key}`,
      tags: ['proto-key'],
      body: json(new RawObject([...entries, [key, key === '__proto__' ? { role: 'admin' } : 1]])),
    })),
    { label: 'body:deep-100k', tags: ['deep'], body: json(new Deep(100_000, 'array')) },
    {
      label: 'body:extra-deep-field',
      tags: ['deep'],
      body: json(new RawObject([...entries, ['extra', new Deep(100_000, 'object')]])),
    },
    { label: 'body:empty', tags: [], body: raw('') },
    { label: 'body:invalid-json', tags: [], body: raw('{"a":') },
    { label: 'body:NaN-literal', tags: [], body: raw('NaN') },
    { label: 'body:nul-byte', tags: ['nul'], body: raw(`${baseText}\u0000`) },
    { label: 'body:bom', tags: [], body: raw(`\ufeff${baseText}`) },
    {
      label: 'body:invalid-utf8',
      tags: [],
      body: raw(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
    },
    { label: 'body:1MB-json-string', tags: ['huge'], body: json('a'.repeat(1 << 20)) },
    { label: 'content-type:none', tags: [], body: raw(baseText, undefined) },
    { label: 'content-type:text', tags: [], body: raw(baseText, 'text/plain') },
    {
      label: 'content-type:form',
      tags: [],
      body: raw('a=1&b=2', 'application/x-www-form-urlencoded'),
    },
    {
      label: 'content-type:multipart',
      tags: [],
      body: raw('--x\r\n\r\n--x--', 'multipart/form-data; boundary=x'),
    },
    {
      label: 'content-type:utf16',
      tags: [],
      body: raw(baseText, 'application/json; charset=utf-16'),
    },
    { label: 'content-type:jsonx', tags: [], body: raw(baseText, 'application/jsonx') },
  ];
  for (const key of resolve(schema).required ?? [])
    out.push({
      label: `body:missing-${key}`,
      tags: [],
      body: json(new RawObject(entries.filter(([k]) => k !== key))),
    });
  const fields = fieldPaths(schema, resolve);
  if (fields.length > 0) {
    const generic = badValues({}, resolve, '');
    for (const bad of generic) {
      const field = random.pick(fields);
      out.push({
        label: `body.${field.path.join('.')}=${bad.label}`,
        tags: bad.tags,
        body: json(setPath(base, field.path, bad.value)),
      });
    }
    for (const field of fields) {
      const own = badValues(field.schema, resolve, String(field.path.at(-1))).slice(generic.length);
      for (const bad of [...own, ...random.sample(generic, perField)])
        out.push({
          label: `body.${field.path.join('.')}=${bad.label}`,
          tags: bad.tags,
          body: json(setPath(base, field.path, bad.value)),
        });
    }
  }
  return out;
}

export function restCases(
  op: RestOperationInfo,
  doc: OpenApiDocument,
  random: Random,
  options: { perField: number },
): FuzzCase[] {
  const resolve = resolver(doc.components?.schemas);
  const owner = ownerOf(op);
  const group = `rest ${op.method} ${op.path}`;
  const pathParams: Record<string, Tree> = {};
  const query: [string, Tree][] = [];
  for (const p of op.parameters) {
    const value = baseline(p.schema ?? {}, resolve, p.name);
    if (p.in === 'path') pathParams[p.name] = value;
    else if (p.in === 'query' && p.required) query.push([p.name, value]);
  }
  const baseBody = op.body
    ? { text: restBodyText(baseline(op.body, resolve)), contentType: JSON_TYPE }
    : undefined;
  const base: Parts = { pathParams, query, ...(baseBody ? { body: baseBody } : {}) };
  const cases: FuzzCase[] = [];
  const add = (label: string, tags: string[], parts: Parts) => {
    const role: Role = random.next() < 0.8 ? owner : random.pick(ROLES);
    cases.push({ group, label, tags, role, ...buildRequest(op, parts) });
  };

  add('baseline', [], base);
  const generic = badValues({}, resolve, '');
  for (const p of op.parameters) {
    if (p.in !== 'path' && p.in !== 'query') continue;
    const own = badValues(p.schema ?? {}, resolve, p.name).slice(generic.length);
    for (const bad of [...own, ...random.sample(generic, options.perField + 6)]) {
      const label = `${p.in}.${p.name}=${bad.label}`;
      if (p.in === 'path')
        add(label, bad.tags, { ...base, pathParams: { ...pathParams, [p.name]: bad.value } });
      else
        add(label, bad.tags, {
          ...base,
          query: [...query.filter(([k]) => k !== p.name), [p.name, bad.value]],
        });
    }
    if (p.in === 'query')
      add(`query.${p.name}:repeated`, [], {
        ...base,
        query: [...query, [p.name, '1'], [p.name, '2'], [p.name, 'x']],
      });
  }
  for (const key of PROTO_KEYS)
    add(`query:key-${key}`, ['proto-key'], { ...base, query: [...query, [key, '1']] });
  add('query:key-extra', [], { ...base, query: [...query, ['extra', '1']] });
  add('query:key-nul', ['nul'], { ...base, query: [...query, ['\u0000', '1']] });
  add('query:key-empty', [], { ...base, query: [...query, ['', '1']] });
  add('query:key-brackets', [], { ...base, query: [...query, ['a[b][c]', '1']] });
  add('query:1000-params', [], {
    ...base,
    query: [...query, ...Array.from({ length: 1000 }, (_, i): [string, Tree] => [`p${i}`, i])],
  });
  if (op.body)
    for (const c of bodyCases(op.body, resolve, random, options.perField))
      add(c.label, c.tags, { ...base, body: c.body });
  return cases;
}
