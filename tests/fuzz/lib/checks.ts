/**
 * What every fuzzed answer must satisfy: no 5xx, no stack trace or internal text in the body, an
 * answer within the timeout, and the case's own expectation if it has one.
 */
import type { FuzzCase } from './cases.ts';

/** Text that only leaks from the inside: stack frames, source paths, SQL, engine messages. */
export const LEAKS: [string, RegExp][] = [
  ['stack frame', /\bat [\w$.<>]+ \(|(\\n|\n)\s+at \S/],
  ['source path', /\.ts:\d+|\/node_modules\/|\/work\//],
  [
    'SQL',
    /\bSELECT |\bINSERT |\bUPDATE \w+ SET|duplicate key|violates|syntax error at or near|invalid byte sequence|out of range for type/,
  ],
  [
    'engine message',
    /undefined is not|is not a function|TypeError|RangeError|Cannot read|Maximum call stack|evaluating '/,
  ],
];

export interface Outcome {
  status: number | null;
  body: string;
  ms: number;
  /** Network error or timeout text, when there was no answer. */
  error?: string;
}

export interface Violation {
  /** Short class name: `5xx`, `leak:SQL`, `timeout`, `no answer`, `expectation`. */
  kind: string;
  detail: string;
}

export function violations(fuzzCase: FuzzCase, outcome: Outcome): Violation[] {
  if (outcome.status === null)
    return [
      {
        kind: outcome.error?.startsWith('timeout') ? 'timeout' : 'no answer',
        detail: outcome.error ?? '',
      },
    ];
  const out: Violation[] = [];
  if (outcome.status >= 500) out.push({ kind: '5xx', detail: String(outcome.status) });
  for (const [name, pattern] of LEAKS) {
    const match = pattern.exec(outcome.body);
    if (match) out.push({ kind: `leak:${name}`, detail: JSON.stringify(match[0]) });
  }
  if (fuzzCase.expect && !fuzzCase.expect.check(outcome.status, outcome.body))
    out.push({ kind: 'expectation', detail: fuzzCase.expect.says });
  return out;
}
