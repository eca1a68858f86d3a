/**
 * Malformed /trpc requests for every procedure of the router, derived from its zod input schema:
 * each malformed value at a field, whole inputs of the wrong shape, and broken superjson envelopes;
 * queries and subscriptions by GET, mutations by POST, some of them batched.
 */
import { z } from 'zod';
import { callerFor, type FuzzCase, ROLES, type Role } from './cases.ts';
import type { Random } from './random.ts';
import {
  badValues,
  baseline,
  type FieldPath,
  fieldPaths,
  type JsonSchema,
  resolver,
  setPath,
} from './schema-values.ts';
import { Deep, encodeComponent, RawObject, superjsonText, type Tree } from './wire-values.ts';

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  inputs: unknown[];
  meta?: { access?: string };
}

export interface ProcedureInfo {
  path: string;
  type: ProcedureDef['type'];
  access: string | undefined;
  schema: JsonSchema | null;
}

/** Every procedure of a router with the JSON Schema of its input (null when it takes none). */
export function procedures(router: { _def: { procedures: object } }): ProcedureInfo[] {
  return Object.entries(router._def.procedures).map(([path, procedure]) => {
    const def = (procedure as { _def: ProcedureDef })._def;
    const input = def.inputs[0];
    const schema =
      input instanceof z.ZodType
        ? (z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as JsonSchema)
        : null;
    return { path, type: def.type, access: def.meta?.access, schema };
  });
}

/** An input envelope: a tree (written as superjson) or its text as sent. */
type Envelope = { tree: Tree; meta?: unknown } | { text: string };

const envelopeText = (e: Envelope) => ('text' in e ? e.text : superjsonText(e.tree, e.meta));

/** The request for one input to one procedure, batched (`?batch=1`, `{"0":…}`) or not. */
export function trpcRequest(
  info: ProcedureInfo,
  input: Envelope | undefined,
  batched: boolean,
): Pick<FuzzCase, 'method' | 'path' | 'headers' | 'body'> {
  const text = input === undefined ? undefined : envelopeText(input);
  const payload = batched ? `{"0":${text ?? '{}'}}` : text;
  const query = batched ? '?batch=1' : '';
  if (info.type === 'mutation') {
    return {
      method: 'POST',
      path: `/trpc/${info.path}${query}`,
      headers: { 'content-type': 'application/json' },
      body: payload ?? '',
    };
  }
  const inputParam =
    payload === undefined ? '' : `${query ? '&' : '?'}input=${encodeComponent(payload)}`;
  return { method: 'GET', path: `/trpc/${info.path}${query}${inputParam}` };
}

const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];

/** Whole inputs of the wrong shape, extra and missing fields, prototype keys. */
function wholeInputs(
  base: Tree,
  schema: JsonSchema | null,
): { label: string; tree: Tree; tags: string[] }[] {
  const entries =
    base !== null && typeof base === 'object' && !Array.isArray(base) ? Object.entries(base) : [];
  const out = [
    { label: 'input:null', tree: null, tags: [] },
    { label: 'input:number', tree: 42, tags: [] },
    { label: 'input:string', tree: 'x', tags: [] },
    { label: 'input:array', tree: [base], tags: [] },
    { label: 'input:empty-object', tree: {}, tags: [] },
    { label: 'input:extra-field', tree: new RawObject([...entries, ['extra', 1]]), tags: [] },
    ...PROTO_KEYS.map((key) => ({
      label: `input:key-${key}`,
      tree: new RawObject([...entries, [key, key === '__proto__' ? { role: 'admin' } : 1]]),
      tags: ['proto-key'],
    })),
    { label: 'input:deep-100k', tree: new Deep(100_000, 'array'), tags: ['deep'] },
    {
      label: 'input:extra-deep-field',
      tree: new RawObject([...entries, ['extra', new Deep(50_000, 'object')]]),
      tags: ['deep'],
    },
    {
      label: 'input:10k-keys',
      tree: new RawObject([
        ...entries,
        ...Array.from({ length: 10_000 }, (_, i): [string, unknown] => [`k${i}`, i]),
      ]),
      tags: [],
    },
  ];
  for (const key of schema?.required ?? [])
    out.push({
      label: `input:missing-${key}`,
      tree: new RawObject(entries.filter(([k]) => k !== key)),
      tags: [],
    });
  return out;
}

/** superjson envelopes a client library never writes: bogus meta, referential equalities. */
function brokenEnvelopes(base: Tree): { label: string; envelope: Envelope; tags: string[] }[] {
  const json = superjsonText(base).slice('{"json":'.length, -1);
  const withMeta = (meta: string) => ({ text: `{"json":${json},"meta":${meta}}` });
  const metas: [string, string, string[]][] = [
    ['meta:string', '"x"', []],
    ['meta:values-string', '{"values":"x"}', []],
    ['meta:values-array-bogus', '{"values":["nope"]}', []],
    [
      'meta:date-on-everything',
      '{"values":{"season":["Date"],"round":["Date"],"driverId":["Date"]}}',
      [],
    ],
    ['meta:path-nowhere', '{"values":{"a.b.c.d.e":["number"]}}', []],
    ['meta:class', '{"values":{"season":["class","Nope"]}}', []],
    ['meta:custom', '{"values":{"season":["custom","Nope"]}}', []],
    ['meta:symbol', '{"values":{"season":["symbol","x"]}}', []],
    ['meta:map-on-scalar', '{"values":{"season":["map"]}}', []],
    ['meta:set-root', '{"values":["set"]}', []],
    ['meta:proto-path', '{"values":{"__proto__.polluted":["Date"]}}', ['proto-key']],
    [
      'meta:constructor-path',
      '{"values":{"constructor.prototype.polluted":["Date"]}}',
      ['proto-key'],
    ],
    ['meta:refeq-nowhere', '{"referentialEqualities":{"nope.deeper":["also.nope"]}}', ['refeq']],
    ['meta:refeq-proto', '{"referentialEqualities":{"__proto__":["x"]}}', ['refeq', 'proto-key']],
    ['meta:refeq-root', '{"referentialEqualities":["season","x.y"]}', ['refeq']],
    ['meta:refeq-string', '{"referentialEqualities":"x"}', ['refeq']],
    ['meta:refeq-self', '{"referentialEqualities":{"season":["season.a.b"]}}', ['refeq']],
    ['meta:version-99', '{"values":{},"v":99}', []],
  ];
  return [
    ...metas.map(([label, meta, tags]) => ({ label, envelope: withMeta(meta), tags })),
    { label: 'envelope:no-json-key', envelope: { text: '{"meta":{}}' }, tags: [] },
    { label: 'envelope:bare-input', envelope: { text: json }, tags: [] },
    { label: 'envelope:invalid-json', envelope: { text: '{"json":{' }, tags: [] },
    { label: 'envelope:nul-byte', envelope: { text: `{"json":${json}\u0000}` }, tags: ['nul'] },
    { label: 'envelope:json-undefined', envelope: { text: 'undefined' }, tags: [] },
  ];
}

export interface TrpcCaseOptions {
  /** Extra field values per procedure beyond one per malformed-value kind. */
  perField: number;
}

/** The cases for one procedure. */
export function trpcCases(
  info: ProcedureInfo,
  random: Random,
  options: TrpcCaseOptions,
): FuzzCase[] {
  const resolve = resolver();
  const schema = info.schema;
  const base = schema ? baseline(schema, resolve) : undefined;
  const fields: FieldPath[] = schema ? fieldPaths(schema, resolve) : [];
  const owner = callerFor(info.access);
  const group = `trpc ${info.path}`;
  const cases: FuzzCase[] = [];
  const add = (label: string, tags: string[], input: Envelope | undefined) => {
    // Mostly the caller that gets past the access check; some calls from every other role.
    const role: Role = random.next() < 0.8 ? owner : random.pick(ROLES);
    const batched = random.next() < 0.3;
    cases.push({ group, label, tags, role, ...trpcRequest(info, input, batched) });
  };

  add('input:baseline', [], base === undefined ? undefined : { tree: base });
  add('input:absent', [], undefined);
  for (const whole of wholeInputs(base ?? {}, schema))
    add(whole.label, whole.tags, { tree: whole.tree });
  for (const broken of brokenEnvelopes(base ?? {})) add(broken.label, broken.tags, broken.envelope);
  if (fields.length > 0) {
    const generic = badValues({}, resolve, '');
    // Every malformed-value kind once, each at a random field …
    for (const bad of generic) {
      const field = random.pick(fields);
      add(`${field.path.join('.')}=${bad.label}`, bad.tags, {
        tree: setPath(base, field.path, bad.value),
      });
    }
    // … and every field with a few values of its own (boundaries, enums, cursors).
    for (const field of fields) {
      const name = String(field.path.at(-1));
      const own = badValues(field.schema, resolve, name).slice(generic.length);
      const picks = [...own, ...random.sample(generic, options.perField)];
      for (const bad of picks)
        add(`${field.path.join('.')}=${bad.label}`, bad.tags, {
          tree: setPath(base, field.path, bad.value),
        });
    }
  }
  return cases;
}
