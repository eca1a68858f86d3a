/**
 * Okabe–Ito, the palette readable with every common colour-vision deficiency; past its eight colours
 * series repeat them dashed, so no two lines look alike. Black swaps to white in dark mode.
 */
const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'];

export const dark = () => matchMedia('(prefers-color-scheme: dark)').matches;

export interface SeriesStyle {
  stroke: string;
  dash?: number[];
}

/** The i-th series' colour and dash. */
export function seriesStyle(i: number): SeriesStyle {
  const colours = [...OKABE_ITO, dark() ? '#FFFFFF' : '#000000'];
  const stroke = colours[i % colours.length] ?? '#888888';
  return i < colours.length ? { stroke } : { stroke, dash: [6, 4] };
}

/** Axis and grid colours of the current scheme. */
export const axisColours = () =>
  dark() ? { text: '#ECECF1', grid: '#33333D' } : { text: '#1B1B1F', grid: '#E2E2E8' };
