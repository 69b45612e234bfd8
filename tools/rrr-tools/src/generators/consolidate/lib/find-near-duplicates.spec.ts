import { findNearDuplicates, normalizedModuleName, scriptTokens, tokenSimilarity } from './find-near-duplicates';

const PREDICTOR = `import type { Signal } from '@shared/types';
export class Predictor {
  predict(input: number[]): Signal {
    const score = input.reduce((a, b) => a + b, 0);
    return { side: score > 0 ? 'buy' : 'sell' } as Signal;
  }
}
`;

describe('normalizedModuleName', () => {
  it.each([
    ['src/models/predictor.ts', 'predictor'],
    ['src/models/predictor_v2.ts', 'predictor'],
    ['src/models/predictorFinal.ts', 'predictor'],
    ['src/models/PriceFeedOld.ts', 'price-feed'],
    ['src/models/risk-calc-copy.ts', 'risk-calc'],
    // Numbers alone are a sequence, not versions.
    ['src/calc/step_2.ts', 'step-2'],
    ['src/calc/step2Calc.ts', 'step2-calc'],
  ])('%s → %s', (path, name) => {
    expect(normalizedModuleName(path)).toBe(name);
  });
});

describe('tokenSimilarity', () => {
  it('is the Jaccard index of token multisets, comments and layout ignored', () => {
    const a = scriptTokens('const a = 1; // one\n', 'a.ts');
    expect(a).toEqual(['const', 'a', '=', '1', ';']);
    expect(tokenSimilarity(a, scriptTokens('const   a=1;', 'b.ts'))).toBe(1);
    // {const, a, =, 1, ;} vs {const, b, =, 1, ;}: 4 shared of 6 distinct.
    expect(tokenSimilarity(a, scriptTokens('const b = 1;', 'c.ts'))).toBeCloseTo(4 / 6);
    expect(tokenSimilarity([], [])).toBe(1);
  });
});

describe('findNearDuplicates', () => {
  it('groups the versions of a module in one folder and measures how alike each pair is', () => {
    const v2 = PREDICTOR.replace('class Predictor', 'class PredictorV2').replace('a + b', 'a + 2 * b');
    const groups = findNearDuplicates([
      { path: 'libs/nn/src/models/predictor.ts', text: PREDICTOR },
      { path: 'libs/nn/src/models/predictor-v2.ts', text: v2 },
      { path: 'libs/nn/src/models/predictor-final.ts', text: 'export const final = true;\n' },
      { path: 'libs/nn/src/models/index.ts', text: "export * from './predictor';\n" },
      { path: 'libs/nn/src/models/predictor.spec.ts', text: PREDICTOR },
      { path: 'libs/other/src/predictor.ts', text: PREDICTOR },
      { path: 'libs/nn/src/calc/step_1.ts', text: 'export const s = 1;\n' },
      { path: 'libs/nn/src/calc/step_2.ts', text: 'export const s = 1;\n' },
    ]);
    expect(groups).toHaveLength(1);
    const [group] = groups;
    expect(group.normalizedName).toBe('predictor');
    expect(group.folder).toBe('libs/nn/src/models');
    expect(group.members.map((m) => m.path)).toEqual([
      'libs/nn/src/models/predictor.ts',
      'libs/nn/src/models/predictor-v2.ts',
      'libs/nn/src/models/predictor-final.ts',
    ]);
    expect(group.pairs[0]).toMatchObject({
      a: 'libs/nn/src/models/predictor.ts',
      b: 'libs/nn/src/models/predictor-v2.ts',
    });
    expect(group.pairs[0].similarity).toBeGreaterThan(0.85);
    expect(group.pairs[0].similarity).toBeLessThan(1);
    expect(group.pairs[2].similarity).toBeLessThan(0.2);
  });
});
