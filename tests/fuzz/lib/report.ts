/**
 * The compact failure report: failures grouped by class (violation, status, known finding or NEW,
 * the answer's gist), each class with its count, the groups it hit and at most a few requests written
 * out in full enough to replay them.
 */

import { knownFinding } from './findings.ts';
import type { Failure } from './runner.ts';

const EXAMPLES_PER_CLASS = 3;

const clip = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;

/** The part of an answer that tells one failure class from another. */
function gist(body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    const found = JSON.stringify(parsed).match(/"message":"((?:[^"\\]|\\.)*)"/);
    if (found?.[1]) return clip(found[1], 80);
  } catch {
    // not JSON: the text itself
  }
  return clip(body.replace(/\s+/g, ' '), 80);
}

export interface FailureClass {
  key: string;
  known: string | null;
  failures: Failure[];
}

export function classify(failures: Failure[], serverOutput: string): FailureClass[] {
  const classes = new Map<string, FailureClass>();
  for (const failure of failures) {
    const { violation, outcome } = failure;
    const known = knownFinding(failure.fuzzCase, violation, serverOutput);
    const status = outcome.status === null ? '' : ` ${outcome.status}`;
    const key = `${violation.kind}${status} ${violation.kind.startsWith('leak') ? violation.detail : ''} · ${known ? `known ${known.id} (${known.title})` : 'NEW'} · ${gist(outcome.body || outcome.error || '')}`;
    const entry = classes.get(key) ?? { key, known: known?.id ?? null, failures: [] };
    entry.failures.push(failure);
    classes.set(key, entry);
  }
  return [...classes.values()].sort((a, b) => b.failures.length - a.failures.length);
}

function describeRequest(f: Failure): string {
  const c = f.fuzzCase;
  const body =
    c.body === undefined
      ? ''
      : `\n      body: ${clip(typeof c.body === 'string' ? JSON.stringify(c.body) : `bytes ${JSON.stringify([...c.body])}`, 300)}`;
  return [
    `    - [${c.group}] ${c.label} (role ${c.role})`,
    `      ${c.method} ${clip(c.path, 300)}`,
    `      headers: ${clip(JSON.stringify(f.headers), 300)}${body}`,
    `      → ${f.outcome.status ?? f.outcome.error} ${clip(f.outcome.body, 300)}`,
  ].join('\n');
}

export function formatReport(classes: FailureClass[], replay: string): string {
  if (classes.length === 0) return 'fuzz: no failures';
  const lines = [`fuzz: ${classes.length} failure class(es); replay one group with: ${replay}`];
  for (const cls of classes) {
    const groups = [...new Set(cls.failures.map((f) => f.fuzzCase.group))];
    lines.push(
      `  ${cls.failures.length}× ${cls.key}`,
      `    groups (${groups.length}): ${clip(groups.join(', '), 300)}`,
      ...cls.failures.slice(0, EXAMPLES_PER_CLASS).map(describeRequest),
    );
  }
  return lines.join('\n');
}

/** What the server logged about its faults (the cause behind an opaque 500), counted by message. */
export function serverFaults(output: string, max = 15): string {
  const counts = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!/ERROR|error:/.test(line)) continue;
    const message = clip(line.replace(/"path":"[^"]*",?/, '').replace(/\d+/g, 'N'), 240);
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  const lines = [...counts].sort((a, b) => b[1] - a[1]).slice(0, max);
  return ['fuzz: server error log (by message):', ...lines.map(([m, n]) => `  ${n}× ${m}`)].join(
    '\n',
  );
}
