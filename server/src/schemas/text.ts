/**
 * The one rule for strings a client sends: PostgreSQL `text` (and `jsonb`) cannot hold U+0000, and
 * a UTF-16 surrogate without its pair is not a character at all (PostgreSQL's UTF-8 encoding has no
 * form for it; the driver would silently store U+FFFD instead). Such a string reaching a query was a
 * 500; with this check it is a 400 naming the field.
 *
 * Every input schema builds its strings with `text()`, or adds `PG_TEXT` to a string format
 * (`z.email().check(PG_TEXT)`); `text.test.ts` walks every procedure's input to prove none escapes.
 */
import { z } from 'zod';

/** True when PostgreSQL can store `value` exactly as sent. */
export const isPgText = (value: string): boolean =>
  !value.includes('\u0000') && value.isWellFormed();

export const PG_TEXT_MESSAGE = 'must not contain NUL (U+0000) or unpaired UTF-16 surrogates';

/** The check itself: one shared instance, so the schema walk can recognise it. */
export const PG_TEXT = z.refine<string>(isPgText, { message: PG_TEXT_MESSAGE });

/** `z.string()` that only accepts what PostgreSQL text can hold. */
export const text = () => z.string().check(PG_TEXT);

/**
 * A label shown back to people in terminals and pages (an API key's name): printable text only. C0
 * and C1 control characters (ESC starts a terminal escape sequence) are refused; NUL is left to
 * `PG_TEXT`, so it is reported once, with the message every field gives it.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0001-\u001f\u007f-\u009f]/;
export const isPrintableLabel = (value: string): boolean => !CONTROL.test(value);
export const LABEL_MESSAGE = 'must not contain control characters';
export const label = () => text().refine(isPrintableLabel, { message: LABEL_MESSAGE });
