/**
 * `/dashboard/ratings`: the ELO history of chosen drivers and teams, race by race on a time axis.
 * The choice (checkboxes, keyboard-operable) starts with the five best-rated drivers and three teams
 * and is kept in the URL (?drivers=a,b&teams=c).
 */
import { api, apiOrNull, NoData } from '../api.ts';
import { lineChart } from '../chart.ts';
import { byId, el } from '../dom.ts';
import type { RatingHistory, RatingsAsOf } from '../types.ts';

type Kind = 'driver' | 'team';
interface Choice {
  kind: Kind;
  id: string;
  name: string;
}

const histories = new Map<string, Promise<RatingHistory>>();
const historyOf = (c: Choice) => {
  const key = `${c.kind}:${c.id}`;
  let found = histories.get(key);
  if (!found) {
    const param = c.kind === 'driver' ? 'driverId' : 'teamId';
    found = api<RatingHistory>(`/ratings/history?${param}=${encodeURIComponent(c.id)}`);
    histories.set(key, found);
  }
  return found;
};

/** One x per race (its date, Unix seconds) over every chosen history; values aligned, gaps null. */
export function alignHistories(list: RatingHistory[]) {
  const seconds = (date: string) => Date.parse(`${date}T12:00:00Z`) / 1000;
  const x = [...new Set(list.flatMap((h) => h.history.map((e) => seconds(e.date))))].sort(
    (a, b) => a - b,
  );
  const at = new Map(x.map((t, i) => [t, i]));
  const series = list.map((h) => {
    const values: (number | null)[] = x.map(() => null);
    for (const e of h.history) values[at.get(seconds(e.date)) ?? 0] = Math.round(e.ratingAfter);
    return { label: h.name, values };
  });
  return { x, series };
}

function checkboxes(container: HTMLElement, kind: Kind, list: RatingsAsOf, chosen: Set<string>) {
  container.replaceChildren(
    ...list.ratings.slice(0, 20).map((r) => {
      const box = el('input', {
        type: 'checkbox',
        value: r.id,
        'data-kind': kind,
        'data-name': r.name,
      });
      box.checked = chosen.has(r.id);
      return el('label', {}, box, ` ${r.name} (${Math.round(r.rating)})`);
    }),
  );
}

export async function renderRatings(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const [drivers, teams] = await Promise.all([
    apiOrNull<RatingsAsOf>('/ratings/drivers'),
    apiOrNull<RatingsAsOf>('/ratings/teams'),
  ]);
  if (!drivers || !teams) throw new NoData('No ratings yet: no race has results.');
  const pick = (name: string, list: RatingsAsOf, n: number) =>
    new Set(
      params.get(name)?.split(',').filter(Boolean) ?? list.ratings.slice(0, n).map((r) => r.id),
    );
  checkboxes(byId('pick-drivers'), 'driver', drivers, pick('drivers', drivers, 5));
  checkboxes(byId('pick-teams'), 'team', teams, pick('teams', teams, 3));
  byId('title').textContent = `ELO ratings (to ${drivers.season} round ${drivers.round})`;

  const draw = async () => {
    const boxes = [...byId('pick').querySelectorAll<HTMLInputElement>('input[type=checkbox]')];
    const chosen: Choice[] = boxes
      .filter((b) => b.checked)
      .map((b) => ({ kind: b.dataset.kind as Kind, id: b.value, name: b.dataset.name ?? b.value }));
    const ids = (kind: Kind) =>
      chosen
        .filter((c) => c.kind === kind)
        .map((c) => c.id)
        .join(',');
    history.replaceState(
      null,
      '',
      `${location.pathname}?drivers=${ids('driver')}&teams=${ids('team')}`,
    );
    const list = await Promise.all(chosen.map(historyOf));
    const { x, series } = alignHistories(list);
    lineChart({
      id: 'ratings',
      container: byId('chart-ratings'),
      x,
      time: true,
      xLabel: 'Race',
      xText: (t) => new Date(t * 1000).toISOString().slice(0, 10),
      yLabel: 'ELO rating',
      series,
      points: false,
      caption: 'ELO rating after each race',
      height: 380,
    });
  };
  byId('pick').addEventListener('change', () => void draw());
  await draw();
}
