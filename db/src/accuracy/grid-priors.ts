/** Grid-slot win/podium counts from the results of earlier seasons (the grid baseline's priors). */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';
import { GRID_PRIOR_SEASONS, type GridPriors, type GridSlotCounts } from './grid-baseline.ts';

/** Grid-slot counts of the `GRID_PRIOR_SEASONS` seasons before each of `seasons`. */
export async function priorsBySeason(
  db: Kysely<DB>,
  seasons: number[],
): Promise<Map<number, GridPriors>> {
  const min = Math.min(...seasons) - GRID_PRIOR_SEASONS;
  const max = Math.max(...seasons) - 1;
  const rows = await sql<{ season: number; grid: number } & GridSlotCounts>`
    SELECT r.season, rr.grid, count(*)::int AS starts,
      count(*) FILTER (WHERE rr.position_order = 1)::int AS wins,
      count(*) FILTER (WHERE rr.position_order <= 3)::int AS podiums
    FROM race_results rr JOIN races r ON r.id = rr.race_id
    WHERE rr.grid > 0 AND r.season BETWEEN ${min} AND ${max}
    GROUP BY r.season, rr.grid`.execute(db);
  const out = new Map<number, GridPriors>();
  for (const season of seasons) {
    const priors = new Map<number, GridSlotCounts>();
    for (const r of rows.rows) {
      if (r.season < season - GRID_PRIOR_SEASONS || r.season >= season) continue;
      const c = priors.get(r.grid) ?? { starts: 0, wins: 0, podiums: 0 };
      priors.set(r.grid, {
        starts: c.starts + r.starts,
        wins: c.wins + r.wins,
        podiums: c.podiums + r.podiums,
      });
    }
    out.set(season, priors);
  }
  return out;
}
