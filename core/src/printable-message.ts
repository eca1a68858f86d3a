/**
 * Error text made safe for a terminal or a log line. The embedded database's socket is a Linux
 * abstract address (a name starting with NUL, see ./embedded/owner.ts) and postgres.js puts it in its
 * messages ("write CONNECTION_CLOSED \0f1-analytics-pglite-…"), which made logs binary. NUL is shown
 * as `@`, the usual spelling of an abstract address (`ss -x`); other control characters but tab and
 * newline as `\xNN`.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0001-\u0008\u000b-\u001f\u007f]/g;

export function printableMessage(text: string): string {
  return text
    .replaceAll('\0', '@')
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `error`'s message (or its string form), printable. */
export function printableError(error: unknown): string {
  return printableMessage(error instanceof Error ? error.message : String(error));
}
