/** Ownership of a data directory: the socket-file variant (non-Linux) and the owner record. */
import { afterAll, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { claimOwnership, ownerAddress, ownerInfoPath, readOwnerInfo } from './owner.ts';

const root = mkdtempSync(path.join(tmpdir(), 'f1-owner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const close = (server: { close(cb: () => void): void }) =>
  new Promise<void>((resolve) => server.close(() => resolve()));

test('Linux: an abstract name per directory; a second claim of a held name gets null', async () => {
  const dir = path.join(root, 'abstract');
  mkdirSync(dir);
  const address = ownerAddress(dir, 'linux');
  expect(address.startsWith('\0f1-analytics-pglite-')).toBe(true);
  expect(ownerAddress(path.join(dir, '.'), 'linux')).toBe(address);
  const first = await claimOwnership(dir, address);
  expect(first).not.toBeNull();
  expect(await claimOwnership(dir, address)).toBeNull();
  expect(readOwnerInfo(dir)?.pid).toBe(process.pid);
  if (first) await close(first);
  const again = await claimOwnership(dir, address);
  expect(again).not.toBeNull();
  if (again) await close(again);
});

test('elsewhere: a socket file, held while answered, recovered when stale', async () => {
  const dir = path.join(root, 'file');
  mkdirSync(dir);
  const address = ownerAddress(dir, 'darwin');
  expect(address).toBe(`${dir}.sock`);
  const first = await claimOwnership(dir, address);
  expect(first).not.toBeNull();
  first?.on('connection', (socket) => socket.destroy());
  expect(await claimOwnership(dir, address)).toBeNull();
  if (first) await close(first);
  // A crashed owner leaves its socket file behind; nothing answers there any more.
  writeFileSync(address, '');
  const recovered = await claimOwnership(dir, address);
  expect(recovered).not.toBeNull();
  if (recovered) await close(recovered);
});

test('a missing or malformed owner record reads as unknown', () => {
  const dir = path.join(root, 'record');
  expect(readOwnerInfo(dir)).toBeNull();
  writeFileSync(ownerInfoPath(dir), '{"pid":"x"}');
  expect(readOwnerInfo(dir)).toBeNull();
  writeFileSync(ownerInfoPath(dir), 'null');
  expect(readOwnerInfo(dir)).toBeNull();
});
