/**
 * Live updates: `predictions.onUpdate` over SSE (tRPC's subscription endpoint, the browser's own
 * EventSource). Events only say that a race's predictions or accuracy changed; the page refetches.
 * EventSource reconnects by itself; the header shows whether the stream is open.
 */

export interface RaceKey {
  season: number;
  round: number;
}

/** Subscribes to one race's updates; returns a function that closes the stream. */
export function onRaceUpdate(race: RaceKey, onUpdate: () => void): () => void {
  // tRPC's GET encoding of the input, with the superjson transformer: { json: input }.
  const input = encodeURIComponent(JSON.stringify({ json: race }));
  const source = new EventSource(`/trpc/predictions.onUpdate?input=${input}`);
  const badge = document.getElementById('live');
  const show = (text: string) => {
    if (badge) badge.textContent = text;
  };
  source.addEventListener('open', () => show(`live: ${race.season} round ${race.round}`));
  source.addEventListener('error', () => show('live: reconnecting…'));
  source.addEventListener('message', () => {
    window.__dashboard.updates += 1;
    onUpdate();
  });
  return () => source.close();
}
