import { createSeededRng } from './seeded-rng';

describe('createSeededRng', () => {
  it('replays the same sequence for the same seed and a different one for another', () => {
    const a = createSeededRng(42);
    const b = createSeededRng(42);
    const c = createSeededRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('draws uniforms in [0, 1), integers in [0, n) and standard normals', () => {
    const rng = createSeededRng(7);
    const n = 50_000;
    let sum = 0;
    let sumSq = 0;
    let tail = 0;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i += 1) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      counts[rng.nextInt(3)] += 1;
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
      if (z > 1.6448536) tail += 1;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.03);
    expect(Math.abs(tail / n - 0.05)).toBeLessThan(0.005);
    for (const count of counts) expect(Math.abs(count / n - 1 / 3)).toBeLessThan(0.01);
  });

  it('refuses a non-finite seed', () => {
    expect(() => createSeededRng(Number.NaN)).toThrow(/seed/);
  });
});
