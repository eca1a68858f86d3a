import { expect, test } from 'bun:test';
import {
  framePeerMessage,
  jsonArrayMessages,
  NOTIFY_PAYLOAD_LIMIT_BYTES,
  newPeerOrigin,
  PEER_MESSAGE_BYTES,
  parseJsonArray,
  readPeerMessage,
} from './peer-messages.ts';
import { type PredictionUpdate, PredictionUpdateBus } from './prediction-updates.ts';

const bytes = (text: string) => new TextEncoder().encode(text).length;

test('batches are measured in UTF-8 bytes, so non-ASCII items stay under the limit', () => {
  // 3 bytes a character: counted in characters, a batch of these would be 3× over.
  const items = Array.from({ length: 400 }, (_, i) => `模型-${i}-${'é'.repeat(20)}`);
  const messages = jsonArrayMessages(items, 1_000);
  expect(messages.length).toBeGreaterThan(1);
  for (const m of messages) expect(bytes(m)).toBeLessThanOrEqual(1_000);
  expect(
    messages.flatMap((m) => parseJsonArray(m, (x) => (typeof x === 'string' ? x : null)) ?? []),
  ).toEqual(items);
  // The default budget plus an origin stays under PostgreSQL's limit.
  const framed = jsonArrayMessages(items).map((m) => framePeerMessage(newPeerOrigin(), m));
  for (const m of framed) expect(bytes(m)).toBeLessThan(NOTIFY_PAYLOAD_LIMIT_BYTES);
  expect(PEER_MESSAGE_BYTES + 17).toBeLessThan(NOTIFY_PAYLOAD_LIMIT_BYTES);
});

test("a payload carries its sender's origin; bare messages are read as they are", () => {
  const origin = newPeerOrigin();
  expect(origin).toMatch(/^[0-9a-f]{16}$/);
  expect(newPeerOrigin()).not.toBe(origin);
  const payload = framePeerMessage(origin, '["race:2024:5"]');
  expect(payload).toBe(`${origin} ["race:2024:5"]`);
  expect(readPeerMessage(payload)).toEqual({ origin, message: '["race:2024:5"]' });
  expect(readPeerMessage('["drivers"]')).toEqual({ origin: null, message: '["drivers"]' });
  // Not an origin before the space: the whole payload is the message (and fails to parse later).
  expect(readPeerMessage('NOT-HEX ["x"]')).toEqual({ origin: null, message: 'NOT-HEX ["x"]' });
  expect(() => framePeerMessage('has space', '[]')).toThrow(/not a peer origin/);
});

test('deliverLocally keeps and delivers updates without sending them to the peers', async () => {
  const published: string[] = [];
  const bus = new PredictionUpdateBus(null, { publish: async (m) => void published.push(m) });
  const local: [PredictionUpdate, string][] = [];
  bus.onLocal((u, id) => local.push([u, id]));
  const update: PredictionUpdate = {
    season: 2024,
    round: 5,
    kind: 'predictions',
    model: 'm',
    version: '1',
    backtest: false,
    at: '2024-04-20T10:00:00.000Z',
  };
  bus.deliverLocally([update, { ...update, round: 6 }]);
  expect(published).toEqual([]);
  expect(local.map(([u]) => u.round)).toEqual([5, 6]);
  expect((await bus.since(update, '0-0')).map((e) => e.id)).toEqual([local[0]?.[1] ?? 'missing']);
});
