/**
 * Known findings of issue 11 that other branches fix: a failure matching one is reported as known
 * (the suite still fails on it until that fix is merged); anything else is a new bug.
 */
import type { FuzzCase } from './cases.ts';
import type { Violation } from './checks.ts';

interface KnownFinding {
  id: string;
  title: string;
  matches: (fuzzCase: FuzzCase, violation: Violation, serverOutput: string) => boolean;
}

const has = (c: FuzzCase, tag: string) => c.tags.includes(tag);

export const KNOWN_FINDINGS: KnownFinding[] = [
  {
    id: '#1',
    title: 'crash on a cold burst of authenticated traffic (ioredis scripts)',
    matches: (_c, v, output) =>
      v.kind === 'process died' && /Spread syntax|is not iterable/.test(output),
  },
  {
    id: '#4',
    title: 'REST 500 on keys named after Object.prototype members',
    matches: (c, v) => c.group.startsWith('rest') && has(c, 'proto-key') && v.kind === '5xx',
  },
  {
    id: '#6',
    title: 'NUL bytes reach PostgreSQL → 500',
    matches: (c, v) => has(c, 'nul') && (v.kind === '5xx' || v.kind === 'leak:SQL'),
  },
  {
    id: '#10a',
    title: 'bogus superjson referentialEqualities answers the engine message',
    matches: (c, v) => has(c, 'refeq') && v.kind === 'leak:engine message',
  },
  {
    id: '#10b',
    title: 'Host headers shorter than 4 characters are misrouted',
    matches: (c, v) => has(c, 'host') && v.kind === 'expectation',
  },
  {
    id: '#10c',
    title: 'two different 404 shapes',
    matches: (c, v) => has(c, '404-shape') && v.kind === 'expectation',
  },
];

/** The known finding a violation belongs to, or null for a new one. */
export function knownFinding(c: FuzzCase, v: Violation, serverOutput: string): KnownFinding | null {
  return KNOWN_FINDINGS.find((f) => f.matches(c, v, serverOutput)) ?? null;
}

KNOWN_FINDINGS.push({
  id: '#3',
  title: 'audit evasion: an input the audit hasher cannot serialize writes no audit row',
  matches: (_c, v) => v.kind === 'audit row not written',
});
