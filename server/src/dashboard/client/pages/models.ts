/**
 * `/dashboard/models`: the accuracy leaderboard over a season and over a rolling window (each model
 * beside the grid baseline on the same races), win Brier score and log loss race by race, and
 * reliability diagrams (observed frequency against predicted probability, per 0.1 bin). Live: a
 * change to the next (or last) race's predictions or accuracy refetches everything.
 */
import { api, apiOrNull, NoData, query } from '../api.ts';
import { lineChart } from '../chart.ts';
import { byId, type Column, fill, fixed, table } from '../dom.ts';
import { onRaceUpdate } from '../live.ts';
import type { AccuracyTimeline, CalibrationBin, LeaderboardEntry, Race } from '../types.ts';

const BASELINE = { stroke: '#808080', dash: [2, 3] };

const entryName = (e: { model: string; version: string; stage: string }) =>
  `${e.model} v${e.version} (${e.stage.replace('_', '-')})`;

function leaderboardTable(caption: string, entries: LeaderboardEntry[]) {
  const vs = (m: number | null, b: number | null) => `${fixed(m)} (grid ${fixed(b)})`;
  const columns: Column<LeaderboardEntry>[] = [
    { label: 'Rank', value: (e) => e.rank, numeric: true },
    { label: 'Model', value: entryName },
    { label: 'Races', value: (e) => e.races, numeric: true },
    { label: 'Win Brier', value: (e) => vs(e.brierWin, e.baseline.brierWin), numeric: true },
    { label: 'Win log loss', value: (e) => vs(e.logLossWin, e.baseline.logLossWin), numeric: true },
    { label: 'Winner hit rate', value: (e) => fixed(e.winnerHitRate, 2), numeric: true },
    {
      label: 'Mean abs. position error',
      value: (e) => fixed(e.meanAbsPositionError, 2),
      numeric: true,
    },
    { label: 'Spearman ρ', value: (e) => fixed(e.spearmanRho), numeric: true },
  ];
  return entries.length
    ? table(caption, columns, entries)
    : document.createTextNode('No scored races.');
}

/** Observed frequency per bin centre (0.05 … 0.95); null where the bin is empty. */
export function reliability(bins: CalibrationBin[], event: CalibrationBin['event']) {
  const at = new Map(bins.filter((b) => b.event === event).map((b) => [Math.round(b.bin * 10), b]));
  return Array.from({ length: 10 }, (_, i) => at.get(i)?.observed ?? null);
}

function calibrationChart(event: CalibrationBin['event'], entries: LeaderboardEntry[]) {
  const x = Array.from({ length: 10 }, (_, i) => i / 10 + 0.05);
  const first = entries[0];
  lineChart({
    id: `calibration-${event}`,
    container: byId(`chart-calibration-${event}`),
    x,
    xLabel: 'Predicted probability (bin centre)',
    xText: (v) => v.toFixed(2),
    yLabel: 'Observed frequency',
    yRange: [0, 1],
    points: true,
    series: [
      { label: 'perfectly calibrated', values: x, stroke: '#808080', dash: [1, 4] },
      ...entries.map((e) => ({ label: entryName(e), values: reliability(e.calibration, event) })),
      ...(first
        ? [
            {
              label: 'grid baseline',
              values: reliability(first.baseline.calibration, event),
              ...BASELINE,
            },
          ]
        : []),
    ],
    caption: `Reliability of ${event} probabilities: observed frequency per predicted-probability bin`,
  });
}

function timelineCharts(t: AccuracyTimeline) {
  const x = t.rounds.map((r) => r.round);
  const series = (metric: 'brierWin' | 'logLossWin') =>
    t.series.map((s) =>
      s.model === 'grid-baseline'
        ? { label: 'grid baseline', values: s[metric], ...BASELINE }
        : { label: entryName(s), values: s[metric] },
    );
  lineChart({
    id: 'brier',
    container: byId('chart-brier'),
    x,
    xLabel: 'Round',
    wholeX: true,
    yLabel: 'Win Brier score',
    series: series('brierWin'),
    caption: `${t.season}: win Brier score per race`,
  });
  lineChart({
    id: 'logloss',
    container: byId('chart-logloss'),
    x,
    xLabel: 'Round',
    wholeX: true,
    yLabel: 'Win log loss',
    series: series('logLossWin'),
    caption: `${t.season}: win log loss per race`,
  });
}

export async function renderModels(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const last = await api<Race | null>('/races/last');
  if (!last) throw new NoData('No race has results yet, so no model has been scored.');
  const seasonSelect = byId<HTMLSelectElement>('season');
  const windowSelect = byId<HTMLSelectElement>('window');
  const backtestBox = byId<HTMLInputElement>('backtest');
  // The URL's choices count only when the page offers them (a hand-edited ?season=abc or
  // ?window=7 falls back to the defaults instead of failing the page).
  const first = Math.max(1950, last.season - 30);
  const asked = Number(params.get('season'));
  const season =
    Number.isInteger(asked) && asked >= first && asked <= last.season ? asked : last.season;
  for (let s = last.season; s >= first; s--) {
    seasonSelect.append(new Option(String(s), String(s), false, s === season));
  }
  const askedWindow = params.get('window');
  if ([...windowSelect.options].some((o) => o.value === askedWindow))
    windowSelect.value = askedWindow ?? '';

  // Live sets are rare for past races: without a choice in the URL, show backtests when no live
  // model has been scored this season.
  let backtest = params.get('backtest') === 'true';
  if (!params.has('backtest')) {
    const live = await api<LeaderboardEntry[]>(`/accuracy/leaderboard${query({ season })}`);
    backtest = live.length === 0;
  }
  backtestBox.checked = backtest;

  const load = async () => {
    const s = Number(seasonSelect.value);
    const bt = backtestBox.checked;
    const [board, rolling, timeline] = await Promise.all([
      api<LeaderboardEntry[]>(`/accuracy/leaderboard${query({ season: s, backtest: bt })}`),
      api<LeaderboardEntry[]>(
        `/accuracy/leaderboard${query({ season: s, lastRaces: Number(windowSelect.value), backtest: bt })}`,
      ),
      apiOrNull<AccuracyTimeline>(`/seasons/${s}/accuracy/timeline${query({ backtest: bt })}`),
    ]);
    fill(byId('table-season'), leaderboardTable(`${s} season${bt ? ' (backtest)' : ''}`, board));
    fill(
      byId('table-window'),
      leaderboardTable(
        `${s}: the last ${windowSelect.value} races${bt ? ' (backtest)' : ''}`,
        rolling,
      ),
    );
    if (timeline) timelineCharts(timeline);
    calibrationChart('win', board);
    calibrationChart('podium', board);
  };
  const reload = () => {
    const q = query({
      season: seasonSelect.value,
      window: windowSelect.value,
      backtest: backtestBox.checked,
    });
    history.replaceState(null, '', `${location.pathname}${q}`);
    void load();
  };
  for (const control of [seasonSelect, windowSelect, backtestBox])
    control.addEventListener('change', reload);
  await load();
  const next = await apiOrNull<Race | null>('/races/next');
  const watched = next ?? last;
  onRaceUpdate(watched, () => void load());
}
