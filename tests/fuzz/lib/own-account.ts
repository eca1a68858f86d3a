/**
 * Each fuzz request names its own account. The baseline email is one address, and the per-account
 * login limit (5 per 5 minutes) would answer 429 — before input validation — to every later case of
 * auth.login that keeps it. The per-IP limits are met the same way: the runner sends each request
 * from its own X-Forwarded-For address. No server knob is lifted for this (there is none for the auth
 * limits, on purpose).
 */
import type { FuzzCase } from './cases.ts';
import { BASELINE_EMAIL } from './schema-values.ts';

const [LOCAL = '', DOMAIN = ''] = BASELINE_EMAIL.split('@');
// The address as it appears in a body (`@`) or in a URL-encoded tRPC input or REST query (`%40`).
const IN_TEXT = new RegExp(`${LOCAL}(?=(@|%40)${DOMAIN.replaceAll('.', '\\.')})`, 'gi');

/** `fuzzCase` with every copy of the baseline email replaced by one that is `serial`'s own. */
export function withOwnAccount(fuzzCase: FuzzCase, serial: number): FuzzCase {
  const own = (text: string) => text.replace(IN_TEXT, `${LOCAL}-${serial}`);
  const { path, body } = fuzzCase;
  return {
    ...fuzzCase,
    path: own(path),
    ...(typeof body === 'string' ? { body: own(body) } : {}),
  };
}
