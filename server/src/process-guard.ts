/**
 * The last line of defence of a serving process: an exception thrown from a library callback (an
 * ioredis reply handler, a timer) or a rejection nobody awaited is logged as one line, and the process
 * keeps serving. Dying would drop every in-flight request of every client for one fault, and a fault a
 * client can trigger would let it take the server down (a restart under the same load can crash-loop).
 *
 * Why continuing is acceptable: request state lives in the request's own closures, and the shared
 * clients heal themselves (ioredis and the database pools reconnect, an auto-pipeline batch is
 * discarded once answered). Installed only once the server listens: a fault during start-up still
 * stops the process with its message. Lines are capped per minute so a storm cannot flood the log.
 */
import type { Logger } from '@f1/core/logger';

const MAX_LINES_PER_MINUTE = 20;

export interface ProcessGuard {
  /** What the process handlers call; exposed for tests. */
  fault(kind: 'uncaught exception' | 'unhandled rejection', error: unknown): void;
  /** Removes the handlers (shutdown, tests). */
  uninstall(): void;
}

/** The error's class, message and innermost frame: enough to find it, never a multi-line stack. */
export function describeFault(error: unknown): Record<string, string> {
  if (!(error instanceof Error)) return { error: String(error) };
  const frame = error.stack
    ?.split('\n')
    .find((line) => line.trim().startsWith('at '))
    ?.trim();
  return { error: `${error.name}: ${error.message}`, ...(frame ? { at: frame } : {}) };
}

/** The part of `process` the guard listens on (an EventEmitter in tests). */
type FaultEvent = 'uncaughtException' | 'unhandledRejection';
interface FaultEvents {
  on(event: FaultEvent, listener: (error: unknown) => void): unknown;
  off(event: FaultEvent, listener: (error: unknown) => void): unknown;
}

export function guardProcess(
  logger: Logger,
  clock: () => number = Date.now,
  target: FaultEvents = process,
): ProcessGuard {
  let windowStart = clock();
  let lines = 0;
  let suppressed = 0;
  const fault: ProcessGuard['fault'] = (kind, error) => {
    const now = clock();
    if (now - windowStart >= 60_000) {
      windowStart = now;
      lines = 0;
    }
    if (lines >= MAX_LINES_PER_MINUTE) {
      suppressed++;
      return;
    }
    lines++;
    const extra = suppressed ? { suppressed: String(suppressed) } : {};
    suppressed = 0;
    logger.error(`${kind} (the server keeps serving)`, { ...describeFault(error), ...extra });
  };
  const onException = (error: unknown) => fault('uncaught exception', error);
  const onRejection = (reason: unknown) => fault('unhandled rejection', reason);
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return {
    fault,
    uninstall() {
      target.off('uncaughtException', onException);
      target.off('unhandledRejection', onRejection);
    },
  };
}
