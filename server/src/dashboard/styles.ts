/**
 * The dashboard's stylesheet: light and dark (prefers-color-scheme), system fonts, visible focus.
 * Chart colours are the Okabe–Ito palette (client/palette.ts), readable with colour-blindness.
 */
export const DASHBOARD_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1b1f; --muted: #5b5b66; --line: #d6d6de; --panel: #f5f5f8;
  --accent: #0072b2; --dropped: #d55e00; --focus: #e69f00;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #141418; --fg: #ececf1; --muted: #a4a4b2; --line: #33333d; --panel: #1d1d23;
    --accent: #56b4e9; --dropped: #f0a060; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
header.top { display: flex; flex-wrap: wrap; gap: 1rem; align-items: baseline; padding: .75rem 1.25rem;
  border-bottom: 1px solid var(--line); background: var(--panel); }
header.top .brand { font-weight: 700; text-decoration: none; color: var(--fg); }
header.top nav { display: flex; gap: 1rem; flex-wrap: wrap; }
main { padding: 1rem 1.25rem 3rem; max-width: 1200px; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.muted { color: var(--muted); }
.grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); }
[hidden] { display: none !important; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; background: var(--panel); }
.chart { min-height: 320px; }
.controls { display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; margin: .5rem 0; }
.controls input[type=range] { width: min(100%, 420px); }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid var(--line); text-align: left; }
td.num, th.num { text-align: right; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
details > summary { cursor: pointer; margin: .5rem 0; }
.table-scroll { overflow-x: auto; }
.dropped { color: var(--dropped); }
.status:empty { display: none; }
.live { font-size: .85rem; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 4px; border: 1px solid var(--line); }
.checks { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.error { color: var(--dropped); }
.u-legend { font-size: .8rem; }
.u-legend .u-marker { border-radius: 2px; }
`;
