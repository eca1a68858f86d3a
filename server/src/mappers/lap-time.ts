import type { LapTime } from '../schemas/common.ts';

/** 89708 → "1:29.708"; an hour or more → "1:33:56.736" (how timing sheets print them). */
export function formatMillis(millis: number): string {
  const ms = String(millis % 1000).padStart(3, '0');
  const totalSeconds = Math.floor(millis / 1000);
  const seconds = totalSeconds % 60;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const hours = Math.floor(totalSeconds / 3600);
  const ss = String(seconds).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}.${ms}`
    : `${minutes}:${ss}.${ms}`;
}

export function lapTime(millis: number | null): LapTime | null {
  return millis === null ? null : { millis, text: formatMillis(millis) };
}

/** A pit stop's duration: 25636 → "25.636"; from a minute on like a lap time, 62892 → "1:02.892". */
export function formatDuration(millis: number): string {
  if (millis >= 60_000) return formatMillis(millis);
  return `${Math.floor(millis / 1000)}.${String(millis % 1000).padStart(3, '0')}`;
}
