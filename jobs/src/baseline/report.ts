/**
 * The backtest report: per season and pooled, every model in the run on identical races (a race is
 * scored only if every model predicted it), on every basis — Σ and per-driver win Brier, podium Brier,
 * win and podium log loss, Spearman ρ, calibration bins, pairwise log loss on both pair sets
 * (definitions in scoring.ts). The models are whatever the races' prediction maps hold, in first-seen
 * order: a new model joins the report by being predicted. `formatReport` is the table the CLI prints;
 * `jsonReport` the machine-readable document (`--report json`).
 */
import type { CalibrationBin } from '@f1/db/schema';
import type { ScoredRace } from './backtest.ts';
import { type BacktestMetrics, PAIR_BASES, type PairBasis, RATINGS_SOURCE } from './scoring.ts';

export interface CalibrationPoint {
  bin: number;
  predicted: number;
  observed: number;
  count: number;
}

export interface ModelAggregate {
  races: number;
  /** Driver-race observations (Σ field sizes). */
  drivers: number;
  winnerHitRate: number;
  podiumOverlap: number;
  meanAbsPositionError: number;
  spearmanRho: number;
  /** Mean over races of Σ_i (p_win − won)²: the project's figure (≈ 1 − 1/n for a uniform forecast). */
  brierWin: number;
  /** Σ over races and drivers of (p_win − won)² ÷ Σ field sizes: the per-driver basis. */
  brierWinPerDriver: number;
  brierPodium: number;
  logLossWin: number;
  logLossPodium: number;
  calibration: { win: CalibrationPoint[]; podium: CalibrationPoint[] };
}

export interface PairwiseAggregate {
  pairs: number;
  /** Mean −ln P(ahead) per source (`elo-ratings` and every model); coin flip 0.693. */
  logLoss: Record<string, number>;
}

export interface SeasonRow {
  /** null in the pooled row. */
  season: number | null;
  races: number;
  models: Record<string, ModelAggregate>;
  pairwise: Record<PairBasis, PairwiseAggregate>;
}

export interface BacktestReport {
  models: string[];
  pairwiseSources: string[];
  /** Races predicted but left out because some model did not predict them. */
  excluded: { raceId: number; season: number; round: number; missing: string[] }[];
  seasons: SeasonRow[];
  pooled: SeasonRow;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function pooledBins(bins: CalibrationBin[], event: CalibrationBin['event']): CalibrationPoint[] {
  const acc = new Map<number, { p: number; o: number; n: number }>();
  for (const b of bins) {
    if (b.event !== event) continue;
    const a = acc.get(b.bin) ?? { p: 0, o: 0, n: 0 };
    acc.set(b.bin, {
      p: a.p + b.predicted * b.count,
      o: a.o + b.observed * b.count,
      n: a.n + b.count,
    });
  }
  return [...acc]
    .sort((x, y) => x[0] - y[0])
    .map(([bin, a]) => ({ bin, predicted: a.p / a.n, observed: a.o / a.n, count: a.n }));
}

export function aggregate(metrics: BacktestMetrics[]): ModelAggregate {
  const drivers = sum(metrics.map((m) => m.field));
  const bins = metrics.flatMap((m) => m.calibration);
  return {
    races: metrics.length,
    drivers,
    winnerHitRate: mean(metrics.map((m) => (m.winnerHit ? 1 : 0))),
    podiumOverlap: mean(metrics.map((m) => m.podiumOverlap)),
    meanAbsPositionError: mean(metrics.map((m) => m.meanAbsPositionError)),
    spearmanRho: mean(metrics.flatMap((m) => (m.spearmanRho === null ? [] : [m.spearmanRho]))),
    brierWin: mean(metrics.map((m) => m.brierWin)),
    brierWinPerDriver: drivers ? sum(metrics.map((m) => m.brierWin)) / drivers : Number.NaN,
    brierPodium: mean(metrics.map((m) => m.brierPodium)),
    logLossWin: mean(metrics.map((m) => m.logLossWin)),
    logLossPodium: mean(metrics.map((m) => m.logLossPodium)),
    calibration: { win: pooledBins(bins, 'win'), podium: pooledBins(bins, 'podium') },
  };
}

function row(season: number | null, races: ScoredRace[], models: string[]): SeasonRow {
  const aggregates: Record<string, ModelAggregate> = {};
  for (const model of models) {
    aggregates[model] = aggregate(
      races.flatMap((r) => (r.metrics[model] ? [r.metrics[model]] : [])),
    );
  }
  const sources = [RATINGS_SOURCE, ...models];
  const pairwise = {} as Record<PairBasis, PairwiseAggregate>;
  for (const basis of PAIR_BASES) {
    const pairs = sum(races.map((r) => r.pairwise[basis].pairs));
    const logLoss: Record<string, number> = {};
    for (const source of sources) {
      logLoss[source] = pairs
        ? sum(races.map((r) => r.pairwise[basis].sums[source] ?? 0)) / pairs
        : Number.NaN;
    }
    pairwise[basis] = { pairs, logLoss };
  }
  return { season, races: races.length, models: aggregates, pairwise };
}

/** The models in the run, in first-seen order of the races' prediction maps. */
export function modelsOf(scored: readonly ScoredRace[]): string[] {
  const seen = new Set<string>();
  for (const race of scored) for (const model of Object.keys(race.predictions)) seen.add(model);
  return [...seen];
}

/** Per-season rows and the pooled row over the races every model predicted. */
export function buildReport(scored: readonly ScoredRace[]): BacktestReport {
  const models = modelsOf(scored);
  const excluded: BacktestReport['excluded'] = [];
  const kept: ScoredRace[] = [];
  for (const race of scored) {
    const missing = models.filter((m) => !race.metrics[m]);
    if (missing.length === 0) kept.push(race);
    else {
      const { raceId, season, round } = race.view;
      excluded.push({ raceId, season, round, missing });
    }
  }
  const seasons = [...new Set(kept.map((r) => r.view.season))].sort((a, b) => a - b);
  return {
    models,
    pairwiseSources: [RATINGS_SOURCE, ...models],
    excluded,
    seasons: seasons.map((s) =>
      row(
        s,
        kept.filter((r) => r.view.season === s),
        models,
      ),
    ),
    pooled: row(null, kept, models),
  };
}

/** A report document as JSON text; NaN (nothing to average) is written as null. */
export function jsonReport<T extends BacktestReport>(document: T): string {
  const finite = (_: string, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? null : v;
  return `${JSON.stringify(document, finite, 2)}\n`;
}

const f3 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(3));
const f4 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(4));

function grid(head: string[], lines: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [fmt(head), ...lines.map(fmt)].join('\n');
}

const label = (r: SeasonRow) => (r.season === null ? 'all' : String(r.season));

/** The model metrics, one line per season and a pooled `all` line. */
export function formatTable(report: BacktestReport): string {
  const rows = [...report.seasons, report.pooled];
  const head = [
    'season',
    'races',
    ...report.models.flatMap((m) => [
      `${m}:hit`,
      `${m}:brierW`,
      `${m}:brierW/n`,
      `${m}:logLoss`,
      `${m}:brierP`,
      `${m}:logLossP`,
      `${m}:rho`,
    ]),
  ];
  const lines = rows.map((r) => [
    label(r),
    String(r.races),
    ...report.models.flatMap((m) => {
      const a = r.models[m];
      if (!a) return ['–', '–', '–', '–', '–', '–', '–'];
      return [
        f3(a.winnerHitRate),
        f3(a.brierWin),
        f4(a.brierWinPerDriver),
        f3(a.logLossWin),
        f3(a.brierPodium),
        f3(a.logLossPodium),
        f3(a.spearmanRho),
      ];
    }),
  ]);
  return grid(head, lines);
}

/** Pairwise log loss of every source on both pair sets, per season and pooled. */
export function formatPairwise(report: BacktestReport): string {
  const rows = [...report.seasons, report.pooled];
  const short: Record<PairBasis, string> = { project: 'proj', bothFinished: 'fin' };
  const head = [
    'season',
    ...PAIR_BASES.flatMap((b) => [
      `${short[b]}:pairs`,
      ...report.pairwiseSources.map((s) => `${short[b]}:${s}`),
    ]),
  ];
  const lines = rows.map((r) => [
    label(r),
    ...PAIR_BASES.flatMap((b) => [
      String(r.pairwise[b].pairs),
      ...report.pairwiseSources.map((s) => f3(r.pairwise[b].logLoss[s] ?? Number.NaN)),
    ]),
  ]);
  return grid(head, lines);
}

/** Pooled win calibration: per 0.1 bin, mean predicted vs observed (count) for every model. */
export function formatCalibration(report: BacktestReport): string {
  const bins = [
    ...new Set(
      report.models.flatMap(
        (m) => report.pooled.models[m]?.calibration.win.map((b) => b.bin) ?? [],
      ),
    ),
  ].sort((a, b) => a - b);
  const head = ['win bin', ...report.models];
  const lines = bins.map((bin) => [
    bin.toFixed(1),
    ...report.models.map((m) => {
      const b = report.pooled.models[m]?.calibration.win.find((x) => x.bin === bin);
      return b ? `${f3(b.predicted)}/${f3(b.observed)} (${b.count})` : '–';
    }),
  ]);
  return grid(head, lines);
}

/** Everything the CLI prints for a run. */
export function formatReport(report: BacktestReport): string {
  const parts = [
    formatTable(report),
    `pairwise log loss (proj: the project's pairs; fin: both drivers finished; ${RATINGS_SOURCE}: driver ELO before the race)`,
    formatPairwise(report),
    'pooled win calibration: predicted/observed (drivers)',
    formatCalibration(report),
  ];
  if (report.excluded.length) {
    parts.push(
      `left out (not predicted by every model): ${report.excluded.map((e) => `${e.season} R${e.round} (${e.missing.join(', ')})`).join('; ')}`,
    );
  }
  return parts.join('\n\n');
}
