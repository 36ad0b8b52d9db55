/** An SVG of a run: line currents against the fuse, the cars' current and offer, quarter averages against the target. */
import type { Trace } from './runner';

const W = 1200;
const PANEL_H = 200;
const PAD_L = 56;
const PAD_R = 16;
const GAP = 46;
const COLORS = ['#d62728', '#2ca02c', '#1f77b4'];

/** The next 1, 2 or 5 × 10^k at or above x, so the axis ticks are round numbers. */
function niceMax(x: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(x, 1e-9)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Reduces a series to one value per pixel column: the largest (lines, so short peaks stay visible). */
function bucketMax(series: Float32Array, columns: number): number[] {
  const out = new Array<number>(columns).fill(0);
  const per = series.length / columns;
  for (let c = 0; c < columns; c++) {
    let m = 0;
    const end = Math.min(series.length, Math.floor((c + 1) * per));
    for (let i = Math.floor(c * per); i < end; i++) m = Math.max(m, series[i]!);
    out[c] = m;
  }
  return out;
}

interface Line {
  values: number[];
  scaleX: number;
  y0: number;
  max: number;
  color: string;
  width?: number;
  dash?: string;
}

function polyline({ values, scaleX, y0, max, color, width = 1.2, dash }: Line): string {
  const pts = values.map(
    (v, i) => `${(PAD_L + i * scaleX).toFixed(1)},${(y0 + PANEL_H - (Math.min(v, max) / max) * PANEL_H).toFixed(1)}`,
  );
  const dashAttr = dash ? ` stroke-dasharray="${dash}"` : '';
  return `<polyline fill="none" stroke="${color}" stroke-width="${width}"${dashAttr} points="${pts.join(' ')}"/>`;
}

function axes(title: string, y0: number, max: number, unit: string, durationS: number): string {
  const plotW = W - PAD_L - PAD_R;
  const parts = [
    `<text x="${PAD_L}" y="${y0 - 8}" font-size="13" font-weight="bold">${esc(title)}</text>`,
    `<rect x="${PAD_L}" y="${y0}" width="${plotW}" height="${PANEL_H}" fill="none" stroke="#999"/>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const y = y0 + PANEL_H - (k / 4) * PANEL_H;
    parts.push(
      `<text x="${PAD_L - 6}" y="${y + 4}" font-size="10" text-anchor="end">${Number(((max * k) / 4).toFixed(2))}</text>`,
    );
  }
  parts.push(
    `<text x="12" y="${y0 + PANEL_H / 2}" font-size="10" transform="rotate(-90 12 ${y0 + PANEL_H / 2})">${unit}</text>`,
  );
  const hours = durationS / 3600;
  const step = hours > 12 ? 2 : hours > 4 ? 1 : 0.25;
  for (let h = 0; h <= hours + 1e-9; h += step) {
    const x = PAD_L + (h / hours) * plotW;
    parts.push(`<text x="${x.toFixed(0)}" y="${y0 + PANEL_H + 13}" font-size="10" text-anchor="middle">${h}h</text>`);
  }
  return parts.join('');
}

export function renderPlotSvg(trace: Trace, title: string): string {
  const duration = trace.evA.length;
  const plotW = W - PAD_L - PAD_R;
  const columns = Math.min(plotW, duration);
  const scaleX = plotW / columns;
  const H = 40 + 3 * (PANEL_H + GAP);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${PAD_L}" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];

  // Panel 1: line currents vs the fuse.
  let y0 = 40 + 16;
  const lineSeries = trace.lineA.map((s) => bucketMax(s, columns));
  const maxA = niceMax(Math.max(trace.fuseA * 1.5, ...lineSeries.flat()) * 1.02);
  out.push(axes('Line currents (A) vs fuse', y0, maxA, 'A', duration));
  lineSeries.forEach((values, l) => {
    out.push(polyline({ values, scaleX, y0, max: maxA, color: COLORS[l]! }));
  });
  for (const [k, dash, label] of [
    [1, '6 4', 'fuse'],
    [1.45, '2 3', '1.45 × fuse'],
  ] as const) {
    const y = y0 + PANEL_H - ((trace.fuseA * k) / maxA) * PANEL_H;
    out.push(`<line x1="${PAD_L}" x2="${W - PAD_R}" y1="${y}" y2="${y}" stroke="black" stroke-dasharray="${dash}"/>`);
    out.push(`<text x="${W - PAD_R - 4}" y="${y - 3}" font-size="10" text-anchor="end">${label}</text>`);
  }
  lineSeries.forEach((_s, l) => {
    out.push(`<text x="${PAD_L + 8 + l * 40}" y="${y0 + 14}" font-size="11" fill="${COLORS[l]}">L${l + 1}</text>`);
  });

  // Panel 2: the cars' current and the offer.
  y0 += PANEL_H + GAP;
  const ev = bucketMax(trace.evA, columns);
  const lim = bucketMax(trace.limitA, columns);
  const maxEv = niceMax(Math.max(6, ...ev, ...lim) * 1.05);
  out.push(axes('EV current per phase (A): drawn (solid) and offered (dashed)', y0, maxEv, 'A', duration));
  out.push(polyline({ values: lim, scaleX, y0, max: maxEv, color: '#888', dash: '4 3' }));
  out.push(polyline({ values: ev, scaleX, y0, max: maxEv, color: '#9467bd', width: 1.5 }));

  // Panel 3: quarter averages vs the target.
  y0 += PANEL_H + GAP;
  const qs = trace.quarters;
  const maxQ = niceMax(Math.max(2.5, ...qs.map((q) => q.avgKw), ...qs.map((q) => q.targetKw ?? 0)) * 1.05);
  out.push(
    axes(
      'Quarter-hour average import (kW) vs target (black); orange: the house alone was over',
      y0,
      maxQ,
      'kW',
      duration,
    ),
  );
  for (const q of qs) {
    const x = PAD_L + (q.startS / duration) * plotW;
    const w = Math.max(1, (900 / duration) * plotW - 1);
    const h = (q.avgKw / maxQ) * PANEL_H;
    const over = q.targetKw !== null && q.avgKw > q.targetKw + 1e-3;
    // Red: over the target by our doing; orange: the house alone was over it (not counted).
    const houseOver = q.targetKw !== null && q.houseAvgKw > q.targetKw;
    const fill = over ? (houseOver ? '#ffbb78' : '#d62728') : '#aec7e8';
    out.push(
      `<rect x="${x.toFixed(1)}" y="${(y0 + PANEL_H - h).toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"/>`,
    );
    if (q.targetKw !== null) {
      const ty = y0 + PANEL_H - (q.targetKw / maxQ) * PANEL_H;
      out.push(
        `<line x1="${x.toFixed(1)}" x2="${(x + w + 1).toFixed(1)}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="black" stroke-width="1.5"/>`,
      );
    }
  }
  out.push('</svg>');
  return out.join('\n');
}
