/**
 * The dashboard's client: renders the page named by <main data-page>, then marks first render
 * (`performance.mark('dashboard:ready')`, `window.__dashboard.ready`, `<body data-ready>`), once the
 * page's charts have been drawn.
 */
import { ApiError, NoData } from './api.ts';
import { followWidths } from './chart.ts';
import { pageData, setStatus } from './dom.ts';
import { renderLanding } from './pages/landing.ts';
import { renderModels } from './pages/models.ts';
import { renderRace } from './pages/race.ts';
import { renderRatings } from './pages/ratings.ts';
import { renderSeason } from './pages/season.ts';

const PAGES: Record<string, () => Promise<void>> = {
  landing: renderLanding,
  season: renderSeason,
  race: renderRace,
  ratings: renderRatings,
  models: renderModels,
};

async function start(): Promise<void> {
  window.__dashboard ??= { charts: {}, updates: 0 };
  const render = PAGES[pageData().page ?? ''];
  try {
    await render?.();
    setStatus('');
  } catch (error) {
    if (error instanceof NoData) {
      setStatus(error.message);
      // Nothing to show: no empty charts and tables under their headings.
      for (const part of document.querySelectorAll<HTMLElement>('#page > :not(#title, #status)'))
        part.hidden = true;
    } else {
      const message =
        error instanceof ApiError || error instanceof Error ? error.message : String(error);
      setStatus(`Could not load: ${message}`, true);
    }
  }
  // uPlot draws on the next frame: mark after it.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      performance.mark('dashboard:ready');
      window.__dashboard.ready = true;
      document.body.dataset.ready = 'true';
    }),
  );
  followWidths();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else void start();
