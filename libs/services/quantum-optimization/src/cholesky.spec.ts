import { Matrix } from 'ml-matrix';
import { cholesky, psdCheck } from './cholesky';

describe('cholesky', () => {
  it('factors a positive definite matrix so that L·Lᵀ reproduces it', () => {
    const a = [
      [4, 12, -16],
      [12, 37, -43],
      [-16, -43, 98],
    ];
    const result = cholesky(a);
    if (!result.ok) throw new Error('expected a factorisation');
    expect(result.lower).toEqual([
      [2, 0, 0],
      [6, 1, 0],
      [-8, 5, 3],
    ]);
    const l = new Matrix(result.lower);
    expect(l.mmul(l.transpose()).to2DArray()).toEqual(a);
  });

  it('reports the failing row of an indefinite matrix', () => {
    const result = cholesky([
      [1, 2],
      [2, 1],
    ]);
    expect(result).toEqual({ ok: false, row: 1, pivot: -3 });
  });
});

describe('psdCheck', () => {
  it('accepts a singular PSD matrix (rank-1 covariance) and the zero matrix, rejects an indefinite one', () => {
    const v = [0.1, 0.2, -0.3];
    const rankOne = v.map((a) => v.map((b) => a * b));
    expect(psdCheck(rankOne).ok).toBe(true);
    expect(
      psdCheck([
        [0, 0],
        [0, 0],
      ]).ok,
    ).toBe(true);
    expect(
      psdCheck([
        [0.04, 0.05],
        [0.05, 0.04],
      ]).ok,
    ).toBe(false);
  });

  it('tolerates an eigenvalue of −1e-12 relative to the diagonal but not −1e-6', () => {
    const almost = [
      [1, 1 + 1e-12],
      [1 + 1e-12, 1],
    ];
    expect(psdCheck(almost).ok).toBe(true);
    const clearly = [
      [1, 1 + 1e-6],
      [1 + 1e-6, 1],
    ];
    expect(psdCheck(clearly).ok).toBe(false);
  });
});
