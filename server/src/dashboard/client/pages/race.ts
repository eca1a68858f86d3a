/**
 * `/dashboard/races/:season/:round`: grid against finish (a slope chart), the lap chart when lap
 * timings exist, each model's prediction beside the result (live and backtest sets) with their
 * accuracy against the grid baseline, results, pit stops and weather. Live: the race's prediction
 * updates (SSE) refetch the predictions and accuracy without a reload.
 */
import { apiOrNull, NoData, query } from '../api.ts';
import { lineChart } from '../chart.ts';
import { byId, type Column, fill, fixed, pageData, table } from '../dom.ts';
import { onRaceUpdate } from '../live.ts';
import type {
  Laps,
  PitStops,
  Race,
  RaceAccuracy,
  RaceAccuracyReport,
  RacePredictions,
  RaceResultRow,
  RaceResults,
  Weather,
} from '../types.ts';

const label = (r: { driver: { code: string | null; familyName: string } }) =>
  r.driver.code ?? r.driver.familyName;

function slopeChart(rows: RaceResultRow[]) {
  const field = rows.length;
  // Grid 0 is a pit-lane start: drawn behind the last grid slot.
  const series = rows.map((r) => ({
    label: label(r),
    values: [r.grid ? r.grid : field, r.positionOrder],
  }));
  lineChart({
    id: 'slope',
    container: byId('chart-slope'),
    x: [0, 1],
    xLabel: 'Grid → finish',
    xText: (x) => (x === 0 ? 'Grid' : x === 1 ? 'Finish' : ''),
    wholeX: true,
    yLabel: 'Position',
    invert: true,
    yRange: [1, field],
    points: true,
    series,
    caption: 'Grid position and finishing position of every driver',
  });
}

function lapChart(laps: Laps, rows: RaceResultRow[]) {
  const container = byId('chart-laps');
  if (laps.items.length === 0) {
    container.textContent = 'No lap timings recorded for this race.';
    return;
  }
  const lapNumbers = [...new Set(laps.items.map((l) => l.lap))].sort((a, b) => a - b);
  const at = new Map(lapNumbers.map((lap, i) => [lap, i]));
  const byDriver = new Map<string, (number | null)[]>();
  for (const item of laps.items) {
    const line = byDriver.get(item.driverId) ?? lapNumbers.map(() => null);
    line[at.get(item.lap) ?? 0] = item.position;
    byDriver.set(item.driverId, line);
  }
  lineChart({
    id: 'laps',
    container,
    x: lapNumbers,
    xLabel: 'Lap',
    wholeX: true,
    yLabel: 'Position',
    invert: true,
    points: false,
    series: rows
      .filter((r) => byDriver.has(r.driver.driverId))
      .map((r) => ({ label: label(r), values: byDriver.get(r.driver.driverId) ?? [] })),
    caption: 'Position at the end of every lap',
  });
}

async function renderPredictions(season: number, round: number, results: RaceResultRow[]) {
  const [live, backtest, liveAccuracy, backtestAccuracy] = await Promise.all([
    apiOrNull<RacePredictions>(`/seasons/${season}/races/${round}/predictions`),
    apiOrNull<RacePredictions>(
      `/seasons/${season}/races/${round}/predictions${query({ backtest: true })}`,
    ),
    apiOrNull<RaceAccuracyReport>(`/seasons/${season}/races/${round}/accuracy`),
    apiOrNull<RaceAccuracyReport>(
      `/seasons/${season}/races/${round}/accuracy${query({ backtest: true })}`,
    ),
  ]);
  const sets = [...(live?.sets ?? []), ...(backtest?.sets ?? [])];
  const setName = (s: { model: string; version: string; stage: string; backtest: boolean }) =>
    `${s.model} v${s.version} ${s.stage.replace('_', '-')}${s.backtest ? ' (backtest)' : ''}`;
  const columns: Column<RaceResultRow>[] = [
    { label: 'Finish', value: (r) => r.positionText, numeric: true },
    { label: 'Driver', value: (r) => `${r.driver.givenName} ${r.driver.familyName}` },
    { label: 'Grid', value: (r) => r.grid || 'pit', numeric: true },
    ...sets.map((s) => {
      const entries = new Map(s.entries.map((e) => [e.driverId, e]));
      return {
        label: setName(s),
        numeric: true,
        value: (r: RaceResultRow) => {
          const e = entries.get(r.driver.driverId);
          if (!e) return '–';
          const win =
            e.winProbability === null ? '' : ` · win ${(e.winProbability * 100).toFixed(1)}%`;
          return `P${e.predictedPosition ?? '?'}${win}`;
        },
      };
    }),
  ];
  const predictions = byId('table-predictions');
  predictions.dataset.sets = String(sets.length);
  fill(
    predictions,
    sets.length || results.length
      ? table(`Predicted position and win probability (${sets.length} sets)`, columns, results)
      : document.createTextNode('No predictions.'),
  );
  const scored: RaceAccuracy[] = [
    ...(liveAccuracy?.models ?? []),
    ...(backtestAccuracy?.models ?? []),
    ...(liveAccuracy?.baseline ? [liveAccuracy.baseline] : []),
  ];
  const accuracyColumns: Column<RaceAccuracy>[] = [
    { label: 'Model', value: (a) => (a.model === 'grid-baseline' ? 'grid baseline' : setName(a)) },
    { label: 'Winner', value: (a) => (a.winnerHit ? 'hit' : 'missed') },
    { label: 'Podium overlap', value: (a) => a.podiumOverlap, numeric: true },
    {
      label: 'Mean abs. position error',
      value: (a) => fixed(a.meanAbsPositionError, 2),
      numeric: true,
    },
    { label: 'Win Brier', value: (a) => fixed(a.brierWin), numeric: true },
    { label: 'Win log loss', value: (a) => fixed(a.logLossWin), numeric: true },
  ];
  fill(
    byId('table-accuracy'),
    scored.length
      ? table('Accuracy against the result', accuracyColumns, scored)
      : document.createTextNode('Not scored yet.'),
  );
}

export async function renderRace(): Promise<void> {
  const season = Number(pageData().season);
  const round = Number(pageData().round);
  const base = `/seasons/${season}/races/${round}`;
  const [race, results, pits, laps, weather] = await Promise.all([
    apiOrNull<Race>(base),
    apiOrNull<RaceResults>(`${base}/results`),
    apiOrNull<PitStops>(`${base}/pit-stops`),
    apiOrNull<Laps>(`${base}/laps${query({ limit: 2000 })}`),
    apiOrNull<Weather>(`${base}/weather`),
  ]);
  if (!race) throw new NoData(`No round ${round} in the ${season} calendar.`);
  byId('title').textContent = `${race.season} ${race.name}`;
  document.title = `${race.season} ${race.name} — F1 Analytics`;
  byId('race-meta').textContent =
    `Round ${race.round} · ${race.circuit.name}, ${race.circuit.locality ?? ''} ${race.circuit.country ?? ''} · ${race.date}`;
  const rows = results?.rows ?? [];
  if (rows.length) slopeChart(rows);
  else byId('chart-slope').textContent = 'No results yet.';
  lapChart(laps ?? { total: 0, items: [], nextCursor: null }, rows);

  const resultColumns: Column<RaceResultRow>[] = [
    { label: 'Pos', value: (r) => r.positionText, numeric: true },
    { label: 'Driver', value: (r) => `${r.driver.givenName} ${r.driver.familyName}` },
    { label: 'Team', value: (r) => r.team.name },
    { label: 'Grid', value: (r) => r.grid || 'pit', numeric: true },
    { label: 'Laps', value: (r) => r.laps, numeric: true },
    { label: 'Time / status', value: (r) => r.time?.text ?? r.status },
    { label: 'Points', value: (r) => r.points, numeric: true },
  ];
  fill(byId('table-results'), table('Classification', resultColumns, rows));
  const stops = pits?.rows ?? [];
  fill(
    byId('table-pits'),
    stops.length
      ? table(
          'Pit stops in order',
          [
            { label: 'Lap', value: (p) => p.lap, numeric: true },
            { label: 'Driver', value: (p) => p.driver.code ?? p.driver.familyName },
            { label: 'Stop', value: (p) => p.stop, numeric: true },
            { label: 'Duration', value: (p) => p.duration?.text ?? '–', numeric: true },
          ],
          stops,
        )
      : document.createTextNode('No pit stops recorded.'),
  );
  const observations = weather?.observations ?? [];
  fill(
    byId('table-weather'),
    observations.length
      ? table(
          'Weather observations',
          [
            { label: 'Observed (UTC)', value: (o) => o.observedAt.slice(0, 16).replace('T', ' ') },
            { label: 'Air °C', value: (o) => fixed(o.airTemperatureC, 1), numeric: true },
            { label: 'Rain mm', value: (o) => fixed(o.precipitationMm, 1), numeric: true },
            { label: 'Humidity %', value: (o) => fixed(o.relativeHumidityPct, 0), numeric: true },
            { label: 'Wind km/h', value: (o) => fixed(o.windSpeedKph, 0), numeric: true },
            { label: 'Source', value: (o) => o.source },
          ],
          observations,
        )
      : document.createTextNode('No weather recorded.'),
  );
  await renderPredictions(season, round, rows);
  onRaceUpdate({ season, round }, () => void renderPredictions(season, round, rows));
}
