/**
 * Approximation ratio of a minimisation: r = (E_worst − E) / (E_worst − E_best) over a reference set of solutions.
 *
 * r = 1 at the optimum, 0 at the worst solution, and r is unchanged by adding a constant to every energy or scaling
 * them by a positive factor. The textbook ratio E/E_best is neither: it flips meaning when the optimum is negative
 * (QUBO energies usually are) and is undefined at E_best = 0. If every solution is equally good, r = 1.
 * Values are clamped to [0, 1] against rounding.
 */
export function approximationRatio(value: number, best: number, worst: number): number {
  const span = worst - best;
  if (!(span > 0)) return 1;
  return Math.min(1, Math.max(0, (worst - value) / span));
}
