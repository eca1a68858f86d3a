/**
 * `/dashboard/seasons/:season`: both championships as they unfolded (points after every round, the
 * top 10 drivers and every constructor), and the standings after any round, chosen with a slider.
 * Results the best-N rules dropped are marked in the table.
 */
import { apiOrNull, NoData } from '../api.ts';
import { lineChart } from '../chart.ts';
import { byId, type Column, el, fill, pageData, table } from '../dom.ts';
import type { Progression, ProgressionCompetitor } from '../types.ts';

/** The standings after round index `at` (0-based), leader first. */
export function standingsAt(competitors: ProgressionCompetitor[], at: number) {
  return competitors
    .filter((c) => c.positions[at] !== null && c.positions[at] !== undefined)
    .sort((a, b) => (a.positions[at] ?? 0) - (b.positions[at] ?? 0));
}

function standingsTable(caption: string, competitors: ProgressionCompetitor[], at: number) {
  const dropped = (c: ProgressionCompetitor) => c.droppedRounds[at] ?? [];
  const columns: Column<ProgressionCompetitor>[] = [
    { label: 'Pos', value: (c) => c.positions[at], numeric: true },
    { label: 'Name', value: (c) => c.name },
    { label: 'Points', value: (c) => c.points[at], numeric: true },
    { label: 'Wins', value: (c) => c.wins[at], numeric: true },
    {
      label: 'Dropped',
      value: (c) => {
        const rounds = dropped(c);
        return rounds.length ? `−${c.droppedPoints[at]} (rounds ${rounds.join(', ')})` : '';
      },
      className: (c) => (dropped(c).length ? 'dropped' : null),
    },
  ];
  return table(caption, columns, standingsAt(competitors, at));
}

export async function renderSeason(): Promise<void> {
  const season = Number(pageData().season);
  const p = await apiOrNull<Progression>(`/seasons/${season}/standings/progression`);
  if (!p) throw new NoData(`No standings for ${season} yet: no race of that season has results.`);
  const x = p.rounds.map((r) => r.round);
  const line = (c: ProgressionCompetitor) => ({ label: c.code ?? c.name, values: c.points });
  lineChart({
    id: 'drivers',
    container: byId('chart-drivers'),
    x,
    xLabel: 'Round',
    wholeX: true,
    yLabel: 'Points',
    series: p.drivers.slice(0, 10).map(line),
    caption: `${season} drivers' championship: points after each round, top 10`,
  });
  if (p.constructors.length) {
    lineChart({
      id: 'constructors',
      container: byId('chart-constructors'),
      x,
      xLabel: 'Round',
      wholeX: true,
      yLabel: 'Points',
      series: p.constructors.slice(0, 10).map((c) => ({ label: c.name, values: c.points })),
      caption: `${season} constructors' championship: points after each round`,
    });
  } else {
    byId('chart-constructors').textContent = 'No constructors’ championship before 1958.';
  }

  const slider = byId<HTMLInputElement>('round');
  slider.max = String(p.rounds.length);
  slider.value = String(p.rounds.length);
  const show = () => {
    const at = Number(slider.value) - 1;
    const round = p.rounds[at];
    byId('round-out').textContent = String(round?.round ?? '');
    byId('round-name').textContent = round?.name ?? '';
    slider.setAttribute('aria-valuetext', `round ${round?.round}: ${round?.name}`);
    fill(byId('table-drivers'), standingsTable("Drivers' championship", p.drivers, at));
    fill(
      byId('table-constructors'),
      p.constructors.length
        ? standingsTable("Constructors' championship", p.constructors, at)
        : el('p', { class: 'muted' }, ''),
    );
  };
  slider.addEventListener('input', show);
  show();
}
