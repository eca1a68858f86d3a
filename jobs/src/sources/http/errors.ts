/** Errors from the source API. Every message names the URL and the cause. */
export type SourceErrorCode =
  | 'http' // a non-retryable status, or retries exhausted on 429/5xx
  | 'timeout'
  | 'network' // dropped connection, DNS, refused
  | 'invalid_json'
  | 'budget' // the hourly request budget is spent
  | 'schema' // the payload does not have the shape we read
  | 'paging'; // pages disagree (the data changed while paging)

export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly code: SourceErrorCode,
    readonly url: string,
    detail: string,
    options: { cause?: unknown; status?: number; attempts?: number } = {},
  ) {
    const attempts =
      options.attempts && options.attempts > 1 ? ` after ${options.attempts} attempts` : '';
    super(`GET ${url} failed${attempts}: ${detail}`, { cause: options.cause });
    this.status = options.status ?? null;
  }
  readonly status: number | null;
}
