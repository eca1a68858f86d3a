/**
 * The rules a set of predicted entries must follow, as pure functions so the single, bulk and built-in
 * submission paths share them. Every broken rule is reported (not just the first), each located by path.
 */
import { createHash } from 'node:crypto';
import type { SubmissionIssue } from './errors.ts';

/** One driver's prediction; `driverId` is the public driver id (`max_verstappen`). */
export interface PredictionEntryInput {
  driverId: string;
  predictedPosition: number;
  winProbability: number;
  podiumProbability: number;
  pointsProbability?: number | null;
  predictedGrid?: number | null;
}

/** Win probabilities must sum to 1 ± WIN_SUM_TOLERANCE; podium ones to 3 ± PODIUM_SUM_TOLERANCE. */
export const WIN_SUM_TOLERANCE = 0.01;
export const PODIUM_SUM_TOLERANCE = 0.03;

type Path = (string | number)[];

const isProbability = (p: number) => Number.isFinite(p) && p >= 0 && p <= 1;

function probabilityIssues(entry: PredictionEntryInput, at: Path): SubmissionIssue[] {
  const issues: SubmissionIssue[] = [];
  const fields = ['winProbability', 'podiumProbability', 'pointsProbability'] as const;
  for (const field of fields) {
    const value = entry[field];
    if (value !== undefined && value !== null && !isProbability(value)) {
      issues.push({ path: [...at, field], message: `must be between 0 and 1 (got ${value})` });
    }
  }
  if (issues.length) return issues;
  if (entry.podiumProbability < entry.winProbability) {
    issues.push({
      path: [...at, 'podiumProbability'],
      message: `must be at least winProbability (${entry.podiumProbability} < ${entry.winProbability}) for driver '${entry.driverId}'`,
    });
  }
  const points = entry.pointsProbability;
  if (points !== undefined && points !== null && points < entry.podiumProbability) {
    issues.push({
      path: [...at, 'pointsProbability'],
      message: `must be at least podiumProbability for driver '${entry.driverId}'`,
    });
  }
  if (
    entry.predictedGrid !== undefined &&
    entry.predictedGrid !== null &&
    !(Number.isInteger(entry.predictedGrid) && entry.predictedGrid >= 1)
  ) {
    issues.push({ path: [...at, 'predictedGrid'], message: 'must be a whole number ≥ 1' });
  }
  return issues;
}

function membershipIssues(
  entries: PredictionEntryInput[],
  entered: ReadonlySet<string>,
  at: Path,
): SubmissionIssue[] {
  const issues: SubmissionIssue[] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry, i) => {
    const first = seen.get(entry.driverId);
    if (first !== undefined) {
      issues.push({
        path: [...at, i, 'driverId'],
        message: `driver '${entry.driverId}' appears twice (also entries[${first}])`,
      });
    } else seen.set(entry.driverId, i);
    if (!entered.has(entry.driverId)) {
      issues.push({
        path: [...at, i, 'driverId'],
        message: `driver '${entry.driverId}' is not entered in this race`,
      });
    }
  });
  const missing = [...entered].filter((d) => !seen.has(d)).sort();
  if (missing.length) {
    issues.push({
      path: at,
      message: `one entry per entered driver is required; missing: ${missing.map((d) => `'${d}'`).join(', ')}`,
    });
  }
  return issues;
}

function permutationIssues(entries: PredictionEntryInput[], at: Path): SubmissionIssue[] {
  const issues: SubmissionIssue[] = [];
  const n = entries.length;
  const seen = new Map<number, number>();
  entries.forEach((entry, i) => {
    const p = entry.predictedPosition;
    if (!Number.isInteger(p) || p < 1 || p > n) {
      issues.push({
        path: [...at, i, 'predictedPosition'],
        message: `must be a whole number from 1 to ${n} (the number of entries); got ${p}`,
      });
      return;
    }
    const first = seen.get(p);
    if (first !== undefined) {
      issues.push({
        path: [...at, i, 'predictedPosition'],
        message: `position ${p} is used twice (also entries[${first}]); positions must be a permutation of 1..${n}`,
      });
    } else seen.set(p, i);
  });
  return issues;
}

function sumIssues(entries: PredictionEntryInput[], at: Path): SubmissionIssue[] {
  const issues: SubmissionIssue[] = [];
  const win = entries.reduce((s, e) => s + e.winProbability, 0);
  if (Math.abs(win - 1) > WIN_SUM_TOLERANCE) {
    issues.push({
      path: at,
      message: `winProbability must sum to 1 ± ${WIN_SUM_TOLERANCE} across the field; sums to ${round4(win)}`,
    });
  }
  const podiumTarget = Math.min(3, entries.length);
  const podium = entries.reduce((s, e) => s + e.podiumProbability, 0);
  if (Math.abs(podium - podiumTarget) > PODIUM_SUM_TOLERANCE) {
    issues.push({
      path: at,
      message: `podiumProbability must sum to ${podiumTarget} ± ${PODIUM_SUM_TOLERANCE} across the field; sums to ${round4(podium)}`,
    });
  }
  return issues;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Every rule: one entry per entered driver and no one else, positions a permutation of 1..n,
 * probabilities in [0, 1] with podium ≥ win (and points ≥ podium), win summing to 1 and podium to 3.
 * `at` is the path of the entries array in the request, so messages name the field exactly.
 */
export function validateEntries(
  entries: PredictionEntryInput[],
  entered: ReadonlySet<string>,
  at: Path = ['entries'],
): SubmissionIssue[] {
  if (entries.length === 0) return [{ path: at, message: 'at least one entry is required' }];
  const perEntry = entries.flatMap((entry, i) => probabilityIssues(entry, [...at, i]));
  const issues = [
    ...membershipIssues(entries, entered, at),
    ...permutationIssues(entries, at),
    ...perEntry,
  ];
  // Sums only mean something once every probability is individually valid.
  return perEntry.length ? issues : [...issues, ...sumIssues(entries, at)];
}

/** Hash of the entries in a canonical order: equal predictions give equal hashes, whatever the order sent. */
export function snapshotHash(entries: PredictionEntryInput[]): string {
  const canonical = entries
    .map((e) => [
      e.driverId,
      e.predictedPosition,
      e.winProbability,
      e.podiumProbability,
      e.pointsProbability ?? null,
      e.predictedGrid ?? null,
    ])
    .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
