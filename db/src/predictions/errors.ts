/** One problem with a submission, located by its path in the input (`['sets', 2, 'entries', 4, 'winProbability']`). */
export interface SubmissionIssue {
  path: (string | number)[];
  message: string;
}

export type PredictionErrorCode =
  /** The input breaks a rule (permutation, sums, entry list …): a 400 naming the field. */
  | 'INVALID'
  /** No such race. */
  | 'RACE_NOT_FOUND'
  /** Live submission at or after the race's scheduled start, or once it has results. */
  | 'FROZEN'
  /** Nobody knows who is entered yet (no qualifying, no earlier race this season). */
  | 'ENTRY_LIST_UNKNOWN'
  /** The idempotency key was used before for a different submission. */
  | 'IDEMPOTENCY_CONFLICT'
  /** A built-in model name (`elo-baseline`, `grid-baseline`) used by someone other than the system. */
  | 'RESERVED_MODEL';

/** Domain error of the prediction submission path; the router maps `code` to a tRPC error. */
export class PredictionError extends Error {
  override readonly name = 'PredictionError';
  constructor(
    readonly code: PredictionErrorCode,
    message: string,
    readonly issues: SubmissionIssue[] = [],
  ) {
    super(message);
  }
}

/** Throws INVALID with every issue when there is any (all problems are reported at once). */
export function throwIfInvalid(issues: SubmissionIssue[]): void {
  if (issues.length === 0) return;
  const shown = issues.slice(0, 5).map((i) => `${formatPath(i.path)}: ${i.message}`);
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  throw new PredictionError('INVALID', `${shown.join('; ')}${more}`, issues);
}

/** `['entries', 3, 'winProbability']` → `entries[3].winProbability`. */
export function formatPath(path: (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}
