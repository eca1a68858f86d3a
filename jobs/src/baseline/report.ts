/** Per-season aggregates of a backtest and the table the CLI prints. */
import type { RaceMetrics } from '@f1/db/accuracy/metrics';
import { BACKTEST_MODELS, type BacktestModel, type ScoredRace } from './backtest.ts';

export interface ModelAggregate {
  races: number;
  winnerHitRate: number;
  podiumOverlap: number;
  meanAbsPositionError: number;
  spearmanRho: number;
  brierWin: number;
  brierPodium: number;
  logLossWin: number;
}

export interface SeasonRow {
  season: number;
  races: number;
  /** ELO pairwise log loss before each race, over all decided pairs (coin flip: 0.693). */
  pairwiseLogLoss: number;
  models: Record<BacktestModel, ModelAggregate>;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

export function aggregate(metrics: RaceMetrics[]): ModelAggregate {
  return {
    races: metrics.length,
    winnerHitRate: mean(metrics.map((m) => (m.winnerHit ? 1 : 0))),
    podiumOverlap: mean(metrics.map((m) => m.podiumOverlap)),
    meanAbsPositionError: mean(metrics.map((m) => m.meanAbsPositionError)),
    spearmanRho: mean(metrics.flatMap((m) => (m.spearmanRho === null ? [] : [m.spearmanRho]))),
    brierWin: mean(metrics.map((m) => m.brierWin)),
    brierPodium: mean(metrics.map((m) => m.brierPodium)),
    logLossWin: mean(metrics.map((m) => m.logLossWin)),
  };
}

function row(season: number, races: ScoredRace[]): SeasonRow {
  const pairs = races.reduce((s, r) => s + r.pairwise.pairs, 0);
  const models = {} as Record<BacktestModel, ModelAggregate>;
  for (const model of BACKTEST_MODELS) {
    models[model] = aggregate(races.flatMap((r) => (r.metrics[model] ? [r.metrics[model]] : [])));
  }
  return {
    season,
    races: races.length,
    pairwiseLogLoss: races.reduce((s, r) => s + r.pairwise.sum, 0) / Math.max(1, pairs),
    models,
  };
}

/** One row per season, plus an `all` row (season 0) over every scored race. */
export function seasonTable(scored: ScoredRace[]): SeasonRow[] {
  const seasons = [...new Set(scored.map((r) => r.view.season))].sort((a, b) => a - b);
  return [
    ...seasons.map((s) =>
      row(
        s,
        scored.filter((r) => r.view.season === s),
      ),
    ),
    row(0, scored),
  ];
}

const f3 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(3));

/** The table `bun run backtest` prints (fixed-width, one line per season). */
export function formatTable(rows: SeasonRow[]): string {
  const head = [
    'season',
    'races',
    'pairLL',
    ...BACKTEST_MODELS.flatMap((m) => [
      `${m}:hit`,
      `${m}:brierW`,
      `${m}:logLoss`,
      `${m}:brierP`,
      `${m}:rho`,
    ]),
  ];
  const lines = rows.map((r) => [
    r.season === 0 ? 'all' : String(r.season),
    String(r.races),
    f3(r.pairwiseLogLoss),
    ...BACKTEST_MODELS.flatMap((m) => {
      const a = r.models[m];
      return [
        f3(a.winnerHitRate),
        f3(a.brierWin),
        f3(a.logLossWin),
        f3(a.brierPodium),
        f3(a.spearmanRho),
      ];
    }),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [fmt(head), ...lines.map(fmt)].join('\n');
}

/** Pairwise log loss per season and pooled, on both pair sets, v1's ELO against v2. */
export function formatPairSets(scored: ScoredRace[]): string {
  const seasons = [...new Set(scored.map((r) => r.view.season))].sort((a, b) => a - b);
  const ll = (races: ScoredRace[], model: 'elo' | 'v2', set: 'project' | 'finished') => {
    const sum = races.reduce((s, r) => s + r.pairSets[model][set].sum, 0);
    const pairs = races.reduce((s, r) => s + r.pairSets[model][set].pairs, 0);
    return f3(pairs ? sum / pairs : Number.NaN);
  };
  const head = ['season', 'elo:project', 'v2:project', 'elo:finished', 'v2:finished'];
  const line = (label: string, races: ScoredRace[]) => [
    label,
    ll(races, 'elo', 'project'),
    ll(races, 'v2', 'project'),
    ll(races, 'elo', 'finished'),
    ll(races, 'v2', 'finished'),
  ];
  const lines = [
    ...seasons.map((s) =>
      line(
        String(s),
        scored.filter((r) => r.view.season === s),
      ),
    ),
    line('all', scored),
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [fmt(head), ...lines.map(fmt)].join('\n');
}
