import { type Kysely, sql } from 'kysely';

/**
 * Driver and constructor standings after every round of every season, as materialized views.
 *
 * Championship points are race points + sprint points (fastest-lap bonuses are already inside race
 * points). Ties are broken by countback: most wins, then most second places, and so on, over race
 * (not sprint) finishing positions. Countback is computed as an ordering on the ascending array of a
 * competitor's classified positions with a sentinel appended: comparing two such arrays element by
 * element is exactly comparing "number of 1sts, then 2nds, ...", and the sentinel makes a longer list
 * (one more finish) rank ahead of its own prefix.
 *
 * These are plain sums: seasons whose rules dropped results (best-N) or, before 1979, counted only a
 * constructor's best car are not reproduced exactly (see the README).
 *
 * Each view has the unique index that REFRESH MATERIALIZED VIEW CONCURRENTLY needs, and
 * refresh_standings() refreshes both.
 */
const COUNTBACK_SENTINEL = 32767;

function standingsView(name: 'driver_standings' | 'constructor_standings') {
  const competitor = name === 'driver_standings' ? 'driver_id' : 'team_id';
  return sql`
    CREATE MATERIALIZED VIEW ${sql.id(name)} AS
    WITH scored AS (
      SELECT r.season, r.round, e.competitor_id, e.points, e.position
      FROM (
        SELECT race_id, ${sql.ref(competitor)} AS competitor_id, points, position FROM race_results
        UNION ALL
        SELECT race_id, ${sql.ref(competitor)} AS competitor_id, points, NULL::smallint FROM sprint_results
      ) e
      JOIN races r ON r.id = e.race_id
      WHERE e.competitor_id IS NOT NULL
    ),
    rounds AS (
      SELECT DISTINCT season, round FROM scored
    ),
    cumulative AS (
      SELECT rd.season, rd.round, s.competitor_id,
             sum(s.points) AS points,
             count(*) FILTER (WHERE s.position = 1) AS wins,
             array_append(
               coalesce(array_agg(s.position ORDER BY s.position) FILTER (WHERE s.position IS NOT NULL), '{}'),
               ${sql.lit(COUNTBACK_SENTINEL)}::smallint
             ) AS countback
      FROM rounds rd
      JOIN scored s ON s.season = rd.season AND s.round <= rd.round
      GROUP BY rd.season, rd.round, s.competitor_id
    )
    SELECT c.season, c.round, ra.id AS race_id, c.competitor_id AS ${sql.ref(competitor)},
           c.points, c.wins::integer AS wins,
           row_number() OVER (
             PARTITION BY c.season, c.round ORDER BY c.points DESC, c.countback, c.competitor_id
           )::integer AS position
    FROM cumulative c
    JOIN races ra ON ra.season = c.season AND ra.round = c.round
  `;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await standingsView('driver_standings').execute(db);
  await sql`CREATE UNIQUE INDEX driver_standings_uq ON driver_standings (season, round, driver_id)`.execute(
    db,
  );
  await standingsView('constructor_standings').execute(db);
  await sql`CREATE UNIQUE INDEX constructor_standings_uq ON constructor_standings (season, round, team_id)`.execute(
    db,
  );
  await sql`
    CREATE FUNCTION refresh_standings() RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      REFRESH MATERIALIZED VIEW CONCURRENTLY driver_standings;
      REFRESH MATERIALIZED VIEW CONCURRENTLY constructor_standings;
    END
    $$
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION refresh_standings()`.execute(db);
  await sql`DROP MATERIALIZED VIEW constructor_standings, driver_standings`.execute(db);
}
