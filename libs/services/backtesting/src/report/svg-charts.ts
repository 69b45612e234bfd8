import type { Bar } from '@rrr/core';

/*
 * Charts as inline SVG strings: no script, no external resource, so a report opens offline in any browser. Each
 * element that matters carries a <title> (the browser shows it on hover). Coordinates are rounded to 0.1 px to keep
 * the file small.
 */

const MARGIN = { top: 14, right: 16, bottom: 26, left: 72 };

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const r1 = (v: number): string => (Math.round(v * 10) / 10).toString();

/** About `count` round tick values covering [min, max] (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Ticks on the time axis: January 1st of years (or of every few years), else first days of months. */
function timeTicks(from: number, to: number): { ts: number; label: string }[] {
  const years = (to - from) / (365.25 * 86_400_000);
  const ticks: { ts: number; label: string }[] = [];
  const start = new Date(from);
  if (years >= 2) {
    const every = Math.max(1, Math.ceil(years / 10));
    for (let y = start.getUTCFullYear() + 1; Date.UTC(y, 0, 1) <= to; y += 1) {
      if (y % every === 0) ticks.push({ ts: Date.UTC(y, 0, 1), label: String(y) });
    }
  } else {
    const every = Math.max(1, Math.ceil((years * 12) / 10));
    for (let m = start.getUTCMonth() + 1, y = start.getUTCFullYear(); Date.UTC(y, m, 1) <= to; m += 1) {
      const d = new Date(Date.UTC(y, m, 1));
      if (d.getUTCMonth() % every === 0) ticks.push({ ts: d.getTime(), label: d.toISOString().slice(0, 7) });
    }
  }
  return ticks;
}

/**
 * Indices to draw when a series is longer than `maxPoints`: per bucket the first, lowest, highest and last point of
 * every series, so spikes and drawdowns survive the thinning.
 */
export function thinIndices(length: number, series: readonly (readonly number[])[], maxPoints = 1_200): number[] {
  if (length <= maxPoints) return Array.from({ length }, (_, i) => i);
  const buckets = Math.floor(maxPoints / 4);
  const keep = new Set<number>([0, length - 1]);
  for (let b = 0; b < buckets; b += 1) {
    const start = Math.floor((b * length) / buckets);
    const end = Math.floor(((b + 1) * length) / buckets);
    if (end <= start) continue;
    keep.add(start);
    keep.add(end - 1);
    for (const values of series) {
      let lo = start;
      let hi = start;
      for (let i = start; i < end; i += 1) {
        if (values[i] < values[lo]) lo = i;
        if (values[i] > values[hi]) hi = i;
      }
      keep.add(lo);
      keep.add(hi);
    }
  }
  return [...keep].sort((a, b) => a - b);
}

export interface LineSeries {
  name: string;
  values: readonly number[];
  color: string;
  /** Fill the area between the line and zero (drawdown). */
  area?: boolean;
  dashed?: boolean;
}

export interface LineChartOptions {
  ts: readonly number[];
  series: readonly LineSeries[];
  width?: number;
  height?: number;
  format: (value: number) => string;
  /** Accessible name of the chart. */
  label: string;
}

/** Lines over time on a shared linear y axis, with a legend. */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 960;
  const height = options.height ?? 300;
  const { ts } = options;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  if (ts.length === 0)
    return `<svg role="img" aria-label="${escapeXml(options.label)}" width="${width}" height="${height}"></svg>`;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of options.series) {
    for (const v of s.values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (s.area === true) {
      min = Math.min(min, 0);
      max = Math.max(max, 0);
    }
  }
  if (min === max) {
    min -= Math.abs(min) * 0.01 || 1;
    max += Math.abs(max) * 0.01 || 1;
  }
  const t0 = ts[0];
  const t1 = ts[ts.length - 1] === t0 ? t0 + 1 : ts[ts.length - 1];
  const x = (t: number): number => MARGIN.left + ((t - t0) / (t1 - t0)) * plotW;
  const y = (v: number): number => MARGIN.top + (1 - (v - min) / (max - min)) * plotH;
  const keep = thinIndices(
    ts.length,
    options.series.map((s) => s.values),
  );
  const parts: string[] = [];
  for (const tick of niceTicks(min, max)) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${r1(y(tick))}" y2="${r1(y(tick))}" class="grid"/>`,
      `<text x="${MARGIN.left - 6}" y="${r1(y(tick) + 4)}" text-anchor="end">${escapeXml(options.format(tick))}</text>`,
    );
  }
  for (const tick of timeTicks(t0, t1)) {
    parts.push(
      `<line x1="${r1(x(tick.ts))}" x2="${r1(x(tick.ts))}" y1="${MARGIN.top}" y2="${height - MARGIN.bottom}" class="grid"/>`,
      `<text x="${r1(x(tick.ts))}" y="${height - 8}" text-anchor="middle">${tick.label}</text>`,
    );
  }
  for (const s of options.series) {
    const points = keep.map((i) => `${r1(x(ts[i]))},${r1(y(s.values[i]))}`).join(' ');
    if (s.area === true) {
      const base = r1(y(0));
      parts.push(
        `<polygon points="${r1(x(ts[keep[0]]))},${base} ${points} ${r1(x(ts[keep[keep.length - 1]]))},${base}" fill="${s.color}" fill-opacity="0.25" stroke="none"><title>${escapeXml(s.name)}</title></polygon>`,
      );
    }
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="1.4"${s.dashed === true ? ' stroke-dasharray="4 3"' : ''}><title>${escapeXml(s.name)}</title></polyline>`,
    );
  }
  const legend = options.series
    .map(
      (s, i) =>
        `<g transform="translate(${MARGIN.left + 10 + i * 170},${MARGIN.top + 4})"><rect width="14" height="3" y="4" fill="${s.color}"/><text x="20" y="10">${escapeXml(s.name)}</text></g>`,
    )
    .join('');
  return `<svg role="img" aria-label="${escapeXml(options.label)}" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}${legend}</svg>`;
}

/** A trade drawn on the candles: entries point up for longs (down for shorts), exits the other way. */
export interface TradeMarker {
  ts: number;
  price: number;
  kind: 'entry' | 'exit';
  direction: 'long' | 'short';
  label: string;
}

/** Consecutive bars merged so at most `maxCandles` remain: first open, highest high, lowest low, last close. */
export function mergeCandles(bars: readonly Bar[], maxCandles: number): Bar[] {
  const size = Math.max(1, Math.ceil(bars.length / maxCandles));
  if (size === 1) return [...bars];
  const merged: Bar[] = [];
  for (let i = 0; i < bars.length; i += size) {
    const group = bars.slice(i, i + size);
    merged.push({
      ...group[0],
      high: Math.max(...group.map((b) => b.high)),
      low: Math.min(...group.map((b) => b.low)),
      close: group[group.length - 1].close,
      volume: group.reduce((s, b) => s + b.volume, 0),
    });
  }
  return merged;
}

/** Candlesticks of one symbol with its trades' entries (▲/▼) and exits marked at their fill prices. */
export function candleChart(options: {
  bars: readonly Bar[];
  markers: readonly TradeMarker[];
  width?: number;
  height?: number;
  maxCandles?: number;
  label: string;
}): string {
  const width = options.width ?? 960;
  const height = options.height ?? 340;
  const candles = mergeCandles(options.bars, options.maxCandles ?? 320);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  if (candles.length === 0)
    return `<svg role="img" aria-label="${escapeXml(options.label)}" width="${width}" height="${height}"></svg>`;
  let min = Math.min(...candles.map((c) => c.low), ...options.markers.map((m) => m.price));
  let max = Math.max(...candles.map((c) => c.high), ...options.markers.map((m) => m.price));
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const slot = plotW / candles.length;
  const x = (i: number): number => MARGIN.left + (i + 0.5) * slot;
  const y = (v: number): number => MARGIN.top + (1 - (v - min) / (max - min)) * plotH;
  const indexOf = (ts: number): number => {
    let lo = 0;
    let hi = candles.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (candles[mid].ts <= ts) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const body = Math.max(1, slot * 0.7);
  const parts: string[] = [];
  for (const tick of niceTicks(min, max)) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${r1(y(tick))}" y2="${r1(y(tick))}" class="grid"/>`,
      `<text x="${MARGIN.left - 6}" y="${r1(y(tick) + 4)}" text-anchor="end">${tick}</text>`,
    );
  }
  for (const tick of timeTicks(candles[0].ts, candles[candles.length - 1].ts)) {
    const cx = r1(x(indexOf(tick.ts)));
    parts.push(`<text x="${cx}" y="${height - 8}" text-anchor="middle">${tick.label}</text>`);
  }
  candles.forEach((c, i) => {
    const up = c.close >= c.open;
    const top = y(Math.max(c.open, c.close));
    const h = Math.max(0.8, Math.abs(y(c.open) - y(c.close)));
    const title = `${new Date(c.ts).toISOString().slice(0, 10)} O ${c.open} H ${c.high} L ${c.low} C ${c.close}`;
    parts.push(
      `<g class="${up ? 'up' : 'down'}"><title>${title}</title><line x1="${r1(x(i))}" x2="${r1(x(i))}" y1="${r1(y(c.high))}" y2="${r1(y(c.low))}"/><rect x="${r1(x(i) - body / 2)}" y="${r1(top)}" width="${r1(body)}" height="${r1(h)}"/></g>`,
    );
  });
  for (const m of options.markers) {
    const cx = x(indexOf(m.ts));
    const cy = y(m.price);
    const pointsUp = (m.kind === 'entry') === (m.direction === 'long');
    const tip = pointsUp
      ? `${r1(cx)},${r1(cy)} ${r1(cx - 5)},${r1(cy + 9)} ${r1(cx + 5)},${r1(cy + 9)}`
      : `${r1(cx)},${r1(cy)} ${r1(cx - 5)},${r1(cy - 9)} ${r1(cx + 5)},${r1(cy - 9)}`;
    parts.push(`<polygon class="marker ${m.kind}" points="${tip}"><title>${escapeXml(m.label)}</title></polygon>`);
  }
  return `<svg role="img" aria-label="${escapeXml(options.label)}" class="chart candles" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}
