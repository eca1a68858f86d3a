/**
 * Lap and qualifying times as the source writes them (`1:27.452`, `59.8`, `1:02:03.456`) → milliseconds.
 * Returns null for anything else, so callers can name the bad field.
 */
const LAP_TIME = /^(?:(?:(\d+):)?(\d{1,2}):)?(\d{1,2})(?:\.(\d{1,3}))?$/;

export function lapTimeMillis(text: string): number | null {
  const match = LAP_TIME.exec(text.trim());
  if (!match) return null;
  const [, hours, minutes, seconds, fraction] = match;
  const ms =
    Number(hours ?? 0) * 3_600_000 +
    Number(minutes ?? 0) * 60_000 +
    Number(seconds) * 1000 +
    Number((fraction ?? '').padEnd(3, '0'));
  return ms > 0 ? ms : null;
}
