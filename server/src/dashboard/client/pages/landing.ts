/** `/`: data freshness from /health, and a countdown to the next race (GET /races/next). */
import { api } from '../api.ts';
import { byId } from '../dom.ts';
import type { Race } from '../types.ts';

interface Health {
  data: {
    seasons: number;
    lastRace: { season: number; round: number; name: string; date: string } | null;
  } | null;
}

/** "3 d 04:05:06" until `at`, or "started" once it has. */
export function countdown(at: Date, now = new Date()): string {
  const s = Math.floor((at.getTime() - now.getTime()) / 1000);
  if (s <= 0) return 'started';
  const pad = (n: number) => String(n).padStart(2, '0');
  const days = Math.floor(s / 86_400);
  return `${days} d ${pad(Math.floor((s % 86_400) / 3_600))}:${pad(Math.floor((s % 3_600) / 60))}:${pad(s % 60)}`;
}

export async function renderLanding(): Promise<void> {
  const health = (await (await fetch('/health')).json()) as Health;
  const data = health.data;
  byId('seasons').textContent = data ? String(data.seasons) : 'unknown (database unavailable)';
  const last = data?.lastRace;
  const lastCell = byId('last-race');
  if (last) {
    lastCell.replaceChildren();
    const link = document.createElement('a');
    link.href = `/dashboard/races/${last.season}/${last.round}`;
    link.textContent = `${last.season} round ${last.round}: ${last.name} (${last.date})`;
    lastCell.append(link);
    byId<HTMLAnchorElement>('link-season').href = `/dashboard/seasons/${last.season}`;
    byId<HTMLAnchorElement>('link-race').href = `/dashboard/races/${last.season}/${last.round}`;
  } else {
    lastCell.textContent = 'none yet — load data with bun run ingest bootstrap';
  }
  const next = await api<Race | null>('/races/next');
  const nextCell = byId('next-race');
  if (!next) {
    nextCell.textContent = 'none scheduled in the data held';
    return;
  }
  const starts = new Date(next.startsAt ?? `${next.date}T00:00:00Z`);
  const tick = () => {
    nextCell.textContent = `${next.season} round ${next.round}: ${next.name}, ${starts.toUTCString()} — in ${countdown(starts)}`;
  };
  tick();
  setInterval(tick, 1000);
}
