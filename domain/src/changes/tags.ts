/**
 * Which cache tags each kind of data change touches (the pipeline invalidates their union, once).
 * Results and schedules keep ingestion's mapping (`tagsFor`: the rounds named, or the whole season);
 * weather and timing (lap timings, pit stops) touch only their races; predictions and accuracy their races' prediction answers; a ratings
 * replay the rating lists and the driver and team pages that show ratings.
 */
import type { DataChange } from '@f1/core/changes/data-changes';
import { type CacheTag, type SeasonChange, tagsFor } from '@f1/core/changes/invalidation';

/** Per season, its changed rounds; schedule seasons as a whole. */
function seasonChanges(changes: DataChange[]): SeasonChange[] {
  const rounds = new Map<number, Set<number>>();
  const whole = new Set<number>();
  for (const c of changes) {
    if (c.kind === 'results') {
      for (const r of c.races)
        rounds.set(r.season, (rounds.get(r.season) ?? new Set()).add(r.round));
    } else if (c.kind === 'schedule') {
      for (const season of c.seasons) whole.add(season);
    }
  }
  const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);
  return [
    ...sorted(rounds.keys()).map((season) => ({
      season,
      rounds: sorted(rounds.get(season) ?? []),
    })),
    ...sorted(whole).map((season) => ({ season })),
  ];
}

/** The union of the tags `changes` touch (empty when they touch nothing). */
export function tagsOf(changes: DataChange[]): CacheTag[] {
  const seasons = seasonChanges(changes);
  const tags = new Set<CacheTag>(seasons.length ? tagsFor(seasons) : []);
  for (const c of changes) {
    switch (c.kind) {
      case 'weather':
      case 'timing':
        for (const r of c.races) tags.add(`race:${r.season}:${r.round}`);
        break;
      case 'predictions':
      case 'accuracy':
        for (const s of c.sets) tags.add(`predictions:${s.season}:${s.round}`);
        break;
      case 'ratings':
        for (const tag of ['ratings', 'drivers', 'teams'] as const) tags.add(tag);
        break;
      default:
        break;
    }
  }
  return [...tags];
}
