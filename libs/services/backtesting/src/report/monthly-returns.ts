/** One calendar month (UTC) of an equity curve. */
export interface MonthlyReturn {
  year: number;
  /** 1–12. */
  month: number;
  /** Equity at the month's last point / equity at the previous month's last point (or the curve's start) − 1. */
  return: number;
}

/** Compounded return of each calendar year present, from its months. */
export interface YearlyReturn {
  year: number;
  return: number;
}

/**
 * Month-by-month returns of an equity curve sampled at `ts` (UTC months). A month's return runs from the last point
 * of the month before it — or, for the first month, from the curve's first point — to its own last point, so the
 * months chain exactly to the total return.
 */
export function monthlyReturns(ts: readonly number[], equity: readonly number[]): MonthlyReturn[] {
  const months: MonthlyReturn[] = [];
  if (ts.length === 0) return months;
  let base = equity[0];
  for (let i = 0; i < ts.length; i += 1) {
    const date = new Date(ts[i]);
    const next = i + 1 < ts.length ? new Date(ts[i + 1]) : undefined;
    const lastOfMonth =
      next === undefined ||
      next.getUTCFullYear() !== date.getUTCFullYear() ||
      next.getUTCMonth() !== date.getUTCMonth();
    if (!lastOfMonth) continue;
    months.push({
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      return: base > 0 ? equity[i] / base - 1 : 0,
    });
    base = equity[i];
  }
  return months;
}

export function yearlyReturns(months: readonly MonthlyReturn[]): YearlyReturn[] {
  const years = new Map<number, number>();
  for (const m of months) years.set(m.year, (years.get(m.year) ?? 1) * (1 + m.return));
  return [...years].map(([year, growth]) => ({ year, return: growth - 1 }));
}
