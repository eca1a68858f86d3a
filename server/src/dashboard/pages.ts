/**
 * The dashboard's server-rendered shells: the same header and navigation on every page, the page's
 * parameters as data attributes, and the client script that fills them from the public REST API.
 * Also the landing page at `/`, which says what this server is and where everything lives.
 */
import { DOCS_PATHS } from '../openapi/docs-pages.ts';
import type { DashboardAssets } from './assets.ts';

export type PageName = 'landing' | 'season' | 'race' | 'ratings' | 'models' | 'empty';

export interface Page {
  name: PageName;
  title: string;
  /** Parameters the client reads from `data-*` attributes of <main>. */
  params?: Record<string, string | number>;
  body: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Only this server's assets and API; no inline script, no outside origin. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function renderPage(page: Page, assets: DashboardAssets): string {
  const data = Object.entries(page.params ?? {})
    .map(([k, v]) => ` data-${k}="${escapeHtml(String(v))}"`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(page.title)} — F1 Analytics</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${assets.style.url}">
  <script type="module" src="${assets.script.url}"></script>
</head>
<body>
  <header class="top">
    <a class="brand" href="/">F1 Analytics</a>
    <nav aria-label="Dashboard">
      <a href="/dashboard/seasons/latest">Season</a>
      <a href="/dashboard/races/latest">Race</a>
      <a href="/dashboard/ratings">Ratings</a>
      <a href="/dashboard/models">Models</a>
      <a href="${DOCS_PATHS.swagger}">API docs</a>
    </nav>
    <span class="live muted" id="live" aria-live="polite"></span>
  </header>
  <main id="page" data-page="${page.name}"${data}>
    <h1 id="title">${escapeHtml(page.title)}</h1>
    <p class="status muted" id="status" role="status">Loading…</p>
${page.body}
  </main>
</body>
</html>
`;
}

export const LANDING_BODY = `
    <p>An F1 data and forecasting server: race results, championship standings computed by its own
    rules engine, driver and team ELO ratings, and machine-learning predictions scored against the
    grid baseline — behind one typed API.</p>
    <div class="grid">
      <section class="card" aria-labelledby="api-h">
        <h2 id="api-h">The API</h2>
        <ul>
          <li>REST: <code>/api/v1</code> — reference in <a href="${DOCS_PATHS.swagger}">Swagger UI</a>
            or <a href="${DOCS_PATHS.redoc}">ReDoc</a>, document at <a href="${DOCS_PATHS.document}">${DOCS_PATHS.document}</a></li>
          <li>tRPC: <code>/trpc</code> (the typed SDK, <code>@f1-analytics/sdk</code>)</li>
          <li>Ergast-compatible: base URL <a href="/ergast/f1/current.json"><code>/ergast/f1</code></a> (also <code>/api/f1</code>)</li>
          <li>Health: <a href="/health"><code>/health</code></a></li>
        </ul>
      </section>
      <section class="card" aria-labelledby="data-h">
        <h2 id="data-h">Data</h2>
        <dl>
          <dt>Seasons held</dt><dd id="seasons">…</dd>
          <dt>Last race ingested</dt><dd id="last-race">…</dd>
          <dt>Next race</dt><dd id="next-race">…</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="dash-h">
        <h2 id="dash-h">Dashboard</h2>
        <ul>
          <li><a id="link-season" href="/dashboard/seasons/latest">The championship, round by round</a></li>
          <li><a id="link-race" href="/dashboard/races/latest">The last race: grid, finish, predictions</a></li>
          <li><a href="/dashboard/ratings">ELO ratings over time</a></li>
          <li><a href="/dashboard/models">Model accuracy: leaderboard, calibration, Brier over time</a></li>
        </ul>
      </section>
    </div>`;

/** `latest` before any race has results (a fresh install): what to do, not a JSON error. */
export const EMPTY_BODY = `
    <p>No race has results yet, so there is no latest season or race to show. Load the history first
    (<code>bun run ingest bootstrap</code>, or <code>bun run ingest import-csv &lt;ergast-csv-dir&gt;</code>).</p>`;

export const SEASON_BODY = `
    <div class="grid">
      <section class="card" aria-labelledby="drivers-h"><h2 id="drivers-h">Drivers: points after each round (top 10)</h2>
        <div class="chart" id="chart-drivers"></div></section>
      <section class="card" aria-labelledby="teams-h"><h2 id="teams-h">Constructors: points after each round</h2>
        <div class="chart" id="chart-constructors"></div></section>
    </div>
    <h2 id="after-h">Standings after round <output id="round-out" for="round">…</output></h2>
    <div class="controls">
      <label for="round">Round</label>
      <input type="range" id="round" min="1" max="1" value="1" step="1" aria-describedby="round-name">
      <span id="round-name" class="muted"></span>
    </div>
    <div class="grid">
      <div class="table-scroll" id="table-drivers"></div>
      <div class="table-scroll" id="table-constructors"></div>
    </div>`;

export const RACE_BODY = `
    <p class="muted" id="race-meta"></p>
    <div class="grid">
      <section class="card" aria-labelledby="slope-h"><h2 id="slope-h">Grid → finish</h2>
        <div class="chart" id="chart-slope"></div></section>
      <section class="card" aria-labelledby="laps-h"><h2 id="laps-h">Lap chart</h2>
        <div class="chart" id="chart-laps"></div></section>
    </div>
    <section aria-labelledby="pred-h"><h2 id="pred-h">Predictions beside the result</h2>
      <div class="table-scroll" id="table-predictions"></div>
      <div class="table-scroll" id="table-accuracy"></div></section>
    <section aria-labelledby="res-h"><h2 id="res-h">Results</h2><div class="table-scroll" id="table-results"></div></section>
    <div class="grid">
      <section aria-labelledby="pit-h"><h2 id="pit-h">Pit stops</h2><div class="table-scroll" id="table-pits"></div></section>
      <section aria-labelledby="wx-h"><h2 id="wx-h">Weather</h2><div class="table-scroll" id="table-weather"></div></section>
    </div>`;

export const RATINGS_BODY = `
    <form class="controls" id="pick" aria-label="Choose drivers and teams">
      <fieldset><legend>Drivers</legend><div class="checks" id="pick-drivers"></div></fieldset>
      <fieldset><legend>Teams</legend><div class="checks" id="pick-teams"></div></fieldset>
    </form>
    <section class="card" aria-labelledby="elo-h"><h2 id="elo-h">ELO rating after each race</h2>
      <div class="chart" id="chart-ratings"></div></section>`;

export const MODELS_BODY = `
    <form class="controls" id="pick" aria-label="Choose the races">
      <label for="season">Season</label> <select id="season"></select>
      <label for="window">Rolling window</label>
      <select id="window"><option value="5">last 5 races</option><option value="10" selected>last 10 races</option><option value="20">last 20 races</option></select>
      <label><input type="checkbox" id="backtest"> backtest sets</label>
    </form>
    <section aria-labelledby="lb-h"><h2 id="lb-h">Leaderboard: the season</h2><div class="table-scroll" id="table-season"></div></section>
    <section aria-labelledby="lbw-h"><h2 id="lbw-h">Leaderboard: rolling window (the season's last races)</h2><div class="table-scroll" id="table-window"></div></section>
    <div class="grid">
      <section class="card" aria-labelledby="brier-h"><h2 id="brier-h">Win Brier score, race by race (lower is better)</h2>
        <div class="chart" id="chart-brier"></div></section>
      <section class="card" aria-labelledby="ll-h"><h2 id="ll-h">Win log loss, race by race</h2>
        <div class="chart" id="chart-logloss"></div></section>
      <section class="card" aria-labelledby="cal-h"><h2 id="cal-h">Calibration: win</h2>
        <div class="chart" id="chart-calibration-win"></div></section>
      <section class="card" aria-labelledby="calp-h"><h2 id="calp-h">Calibration: podium</h2>
        <div class="chart" id="chart-calibration-podium"></div></section>
    </div>`;
