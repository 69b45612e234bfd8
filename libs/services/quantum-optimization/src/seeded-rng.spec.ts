import { mean, sampleStandardDeviation } from 'simple-statistics';
import { createRng } from './seeded-rng';

describe('createRng', () => {
  it('reproduces the same sequence for the same seed and a different one for another seed', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 20 }, () => a.nextUint32());
    const seqB = Array.from({ length: 20 }, () => b.nextUint32());
    const seqC = Array.from({ length: 20 }, () => c.nextUint32());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it('draws uniforms in [0,1) with the right moments and integers covering their range evenly', () => {
    const rng = createRng(123);
    const u = Array.from({ length: 50_000 }, () => rng.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(mean(u)).toBeCloseTo(0.5, 2);
    expect(sampleStandardDeviation(u)).toBeCloseTo(Math.sqrt(1 / 12), 2);
    const counts = new Array<number>(5).fill(0);
    for (let i = 0; i < 50_000; i++) counts[rng.nextInt(5)] += 1;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(400);
  });

  it('draws standard normals', () => {
    const rng = createRng(5);
    const z = Array.from({ length: 40_000 }, () => rng.normal());
    expect(mean(z)).toBeCloseTo(0, 1);
    expect(sampleStandardDeviation(z)).toBeCloseTo(1, 1);
  });

  it('rejects a non-finite seed and a bad range', () => {
    expect(() => createRng(Number.NaN)).toThrow(/seed/);
    expect(() => createRng(1).nextInt(0)).toThrow(/n: must be a positive integer/);
  });
});
