import { afterAll, beforeAll, expect, test } from 'bun:test';
import { testRedisUrl } from '@f1/testkit/redis';
import { describeWithRedis } from '@f1/testkit/skip';
import { createRedis, type Redis, waitForRedis } from './redis.ts';
import { defineScripts, script, scriptRegistrations } from './redis-scripts.ts';

/** Returns its key's value with ARGV[1] appended: each reply names the call it belongs to. */
const ECHO = defineScripts({
  f1TestEcho: script<[key: string, suffix: string], string>({
    numberOfKeys: 1,
    lua: "return (redis.call('GET', KEYS[1]) or '') .. ARGV[1]",
  }),
  f1TestEchoBytes: script<[key: string, suffix: string], Buffer>({
    numberOfKeys: 1,
    lua: "return (redis.call('GET', KEYS[1]) or '') .. ARGV[1] .. '!'",
    buffers: true,
  }),
});

test('registrations: one entry per script; a name taken twice by different scripts is refused', () => {
  expect(Object.keys(scriptRegistrations([ECHO, ECHO]))).toEqual(['f1TestEcho', 'f1TestEchoBytes']);
  const clash = defineScripts({ f1TestEcho: script<[], number>({ lua: 'return 1' }) });
  expect(() => scriptRegistrations([ECHO, clash])).toThrow('two Lua scripts are named f1TestEcho');
});

// No script is defined late (that is what crashed auto-pipelining connections): a connection made
// without the set refuses it, whether it auto-pipelines or not, and names the fix.
for (const autoPipelining of [true, false])
  test(`a connection made without the set refuses it (autoPipelining: ${autoPipelining})`, () => {
    const redis = createRedis('redis://127.0.0.1:1', { autoPipelining });
    redis.on('error', () => {});
    try {
      expect(() => ECHO.on(redis)).toThrow(
        'Lua script f1TestEcho is not registered on this connection: pass its set to createRedis({ scripts })',
      );
      expect(Reflect.get(redis, 'f1TestEcho')).toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });

test('a different script under a registered name is refused', () => {
  const other = defineScripts({
    f1PublishPredictionUpdate: script<[], number>({ lua: 'return 1' }),
  });
  const redis = createRedis('redis://127.0.0.1:1');
  redis.on('error', () => {});
  try {
    expect(() => other.on(redis)).toThrow(
      'another Lua script is registered as f1PublishPredictionUpdate',
    );
  } finally {
    redis.disconnect();
  }
});

const url = testRedisUrl();
describeWithRedis('scripts on a real Redis', () => {
  const prefix = `f1t:${process.pid}:scripts:`;
  const connections: Redis[] = [];
  const open = async (options: Parameters<typeof createRedis>[1]) => {
    const redis = createRedis(url ?? '', { keyPrefix: prefix, ...options });
    connections.push(redis);
    await waitForRedis(redis);
    return redis;
  };
  beforeAll(async () => {
    await (await open({})).set('k', 'v');
  });
  afterAll(() => {
    for (const redis of connections) redis.disconnect();
  });

  // The crash of issue 11: a script called in the tick its connection's first auto-pipeline is
  // queued. Registered at creation, every reply reaches its own call.
  test('on a fresh auto-pipelining connection, scripts and commands of one tick each get their reply', async () => {
    const redis = await open({ autoPipelining: true, scripts: [ECHO] });
    const echo = ECHO.on(redis);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 ? echo.f1TestEcho('k', `:${i}`) : redis.get('k').then((v) => `${v}:${i}`),
      ),
    );
    expect(replies).toEqual(Array.from({ length: 20 }, (_, i) => `v:${i}`));
    expect((await echo.f1TestEchoBytes('k', ':b')).toString()).toBe('v:b!');
    expect(ECHO.on(redis)).toBe(echo);
    // A duplicate (the subscriber connections) is made with the same options: the scripts come along.
    const copy = redis.duplicate();
    connections.push(copy);
    await waitForRedis(copy);
    expect(await ECHO.on(copy).f1TestEcho('k', ':copy')).toBe('v:copy');
  });

  test('without auto-pipelining too, a set registered at creation answers; an equal set shares its name', async () => {
    const redis = await open({ scripts: [ECHO] });
    expect(await ECHO.on(redis).f1TestEcho('k', ':plain')).toBe('v:plain');
    const again = defineScripts({ f1TestEcho: ECHO.scripts.f1TestEcho });
    expect(await again.on(redis).f1TestEcho('k', ':again')).toBe('v:again');
  });
});
