const number = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const money = number(2);
const percent = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** What a missing or unusable figure shows as. */
export const DASH = '—';

function usable(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function formatMoney(value: number | null | undefined): string {
  return usable(value) ? money.format(value) : DASH;
}

/** Prices and quantities: as many decimals as they need, up to 8. */
export function formatNumber(value: number | null | undefined, maxDigits = 8): string {
  if (!usable(value)) return DASH;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: maxDigits }).format(value);
}

const probability = number(3);

/** A probability (or confidence) in [0, 1] with three fixed decimals, so a column of them lines up. */
export function formatProbability(value: number | null | undefined): string {
  return usable(value) ? probability.format(value) : DASH;
}

export function formatPercent(fraction: number | null | undefined): string {
  if (!usable(fraction)) return DASH;
  // A drawdown of -0.000001 would print as "-0.00%".
  return percent.format(Math.abs(fraction) < 0.00005 ? 0 : fraction);
}

/** Epoch ms as `2026-11-25 19:40:12` UTC (the platform's time everywhere). */
export function formatTime(ts: number | null | undefined): string {
  if (!usable(ts)) return DASH;
  return new Date(ts).toISOString().replace('T', ' ').slice(0, 19);
}

export function formatDate(ts: number | null | undefined): string {
  return usable(ts) ? new Date(ts).toISOString().slice(0, 10) : DASH;
}

/** A CSS class for a signed figure. */
export function signClass(value: number | null | undefined): string {
  return !usable(value) || value === 0 ? '' : value > 0 ? 'up' : 'down';
}
