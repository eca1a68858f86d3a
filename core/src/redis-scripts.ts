/**
 * Lua scripts on ioredis connections: declared once in a typed table, registered when the connection
 * is created, called through typed functions.
 *
 * Why at creation: with auto-pipelining, ioredis (6.0) queues each tick's commands on a `Pipeline`,
 * and a Pipeline copies the connection's scripts when it is built. A `defineCommand` after that leaves
 * the queued pipeline without the script: the call rejects (`pipeline[functionName] is not a
 * function`) after its reply callback was queued, so the batch's replies go to the wrong commands and
 * the last callback throws outside any request, which kills the process (redis/ioredis#1931). So
 * `createRedis` hands every set to the constructor (`scripts` option, defined before the first
 * command), and `on()` never defines one late: a script missing from the connection is an error, on
 * every connection (tests and CLIs included), so there is one path and it is the safe one.
 *
 * Typed through the table, not `declare module 'ioredis'`: an augmentation would pull ioredis into the
 * SDK's bundled router types.
 */
import type { Redis } from 'ioredis';

export type ScriptArg = string | number | Buffer;

export interface Script<Args extends ScriptArg[], Reply> {
  readonly lua: string;
  /** The number of leading arguments that are keys; omitted when the caller passes it first. */
  readonly numberOfKeys?: number;
  /** Reply strings as Buffers (ioredis' `…Buffer` variant). */
  readonly buffers?: boolean;
  /** Carries the types only; never set. */
  readonly signature?: (...args: Args) => Reply;
}

/** A script whose arguments and reply (what the Lua returns, as ioredis decodes it) are declared. */
export function script<Args extends ScriptArg[], Reply>(definition: {
  lua: string;
  numberOfKeys?: number;
  buffers?: boolean;
}): Script<Args, Reply> {
  return definition;
}

/** The widest script type: arguments are contravariant, so `never` accepts every argument list. */
type AnyScript = Script<never, unknown>;

export type ScriptCallers<T extends Record<string, AnyScript>> = {
  readonly [K in keyof T]: T[K] extends Script<infer A, infer R>
    ? (...args: A) => Promise<R>
    : never;
};

export interface ScriptSet<T extends Record<string, AnyScript> = Record<string, AnyScript>> {
  readonly scripts: T;
  /** Typed callers on `redis` (cached per connection). */
  on(redis: Redis): ScriptCallers<T>;
}

/** The callers a set gives on a connection, for fields that hold them. */
export type CallersOf<S extends { on(redis: Redis): unknown }> = ReturnType<S['on']>;

/** Refuses a script the connection was not created with, or another script under its name. */
function assertRegistered(redis: Redis, name: string, entry: AnyScript): void {
  const registered = redis.options.scripts?.[name] ?? null;
  if (!registered)
    throw new Error(
      `Lua script ${name} is not registered on this connection: pass its set to createRedis({ scripts })`,
    );
  if (registered.lua !== entry.lua || registered.numberOfKeys !== entry.numberOfKeys)
    throw new Error(`another Lua script is registered as ${name} on this connection`);
}

export function defineScripts<T extends Record<string, AnyScript>>(scripts: T): ScriptSet<T> {
  const bound = new WeakMap<Redis, ScriptCallers<T>>();
  return {
    scripts,
    on(redis) {
      const cached = bound.get(redis);
      if (cached) return cached;
      const callers: Record<string, (...args: ScriptArg[]) => Promise<unknown>> = {};
      for (const [name, entry] of Object.entries(scripts)) {
        assertRegistered(redis, name, entry);
        const method: unknown = Reflect.get(redis, entry.buffers ? `${name}Buffer` : name);
        if (typeof method !== 'function') throw new Error(`Lua script ${name} is not defined`);
        callers[name] = (...args) => Promise.resolve(method.apply(redis, args));
      }
      // The one cast: each caller was built from its table entry, whose types the table declares.
      const typed = callers as ScriptCallers<T>;
      bound.set(redis, typed);
      return typed;
    },
  };
}

/** The `scripts` option of the ioredis constructor for these sets; a name may be taken only once. */
export function scriptRegistrations(
  sets: readonly ScriptSet[],
): Record<string, { lua: string; numberOfKeys?: number }> {
  const out: Record<string, { lua: string; numberOfKeys?: number }> = {};
  for (const set of sets) {
    for (const [name, entry] of Object.entries(set.scripts)) {
      const taken = out[name];
      if (taken && taken.lua !== entry.lua) throw new Error(`two Lua scripts are named ${name}`);
      out[name] = { lua: entry.lua, numberOfKeys: entry.numberOfKeys };
    }
  }
  return out;
}
