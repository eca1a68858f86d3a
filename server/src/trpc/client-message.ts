/**
 * The message of an error answer, as a client may see it: never a server fault's own text, never an
 * engine's. Shared by the tRPC error formatter (init.ts) and the REST bridge (openapi/rest-answer.ts).
 */
import type { TRPCError } from '@trpc/server';

/** Errors the JS engine throws: their messages describe our code or the engine, not the input. */
const ENGINE_ERRORS = [SyntaxError, TypeError, RangeError, ReferenceError];

/**
 * The message a client may see. An unexpected fault's message may quote SQL, hosts or values: the
 * client gets a generic one (the server logs the real message in the HTTP adapter's onError). tRPC
 * copies the message of whatever failed while reading the input into its 400 — for a body that is not
 * JSON that is the engine's parser (`JSON Parse error: Expected '}'`): said plainly instead.
 */
export function clientMessage(error: TRPCError, message: string): string {
  if (error.code === 'INTERNAL_SERVER_ERROR') return 'internal error';
  const { cause } = error;
  if (cause instanceof SyntaxError && cause.message === message)
    return 'the input is not valid JSON';
  if (ENGINE_ERRORS.some((type) => cause instanceof type) && cause?.message === message)
    return 'the input could not be read';
  return message;
}
