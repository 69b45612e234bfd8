import { ValidationError } from '@rrr/core';
import { FEATURE_NAMES } from './feature-set';
import { projectRow, resolveFeatureSubset } from './feature-subset';

describe('resolveFeatureSubset', () => {
  it('means every feature when no list is given, and puts a list in FEATURE_NAMES order', () => {
    const all = resolveFeatureSubset(undefined);
    expect(all).toMatchObject({ all: true, names: [...FEATURE_NAMES] });
    expect(all.indices).toEqual(FEATURE_NAMES.map((_, i) => i));

    const subset = resolveFeatureSubset(['logReturn1', 'rsi14', 'sma20Gap']);
    expect(subset).toEqual({ names: ['rsi14', 'sma20Gap', 'logReturn1'], indices: [0, 9, 27], all: false });
    expect(resolveFeatureSubset([...FEATURE_NAMES].reverse()).all).toBe(true);
  });

  it('refuses an empty list, unknown names and repeats, naming each', () => {
    expect(() => resolveFeatureSubset([])).toThrow('feature subset: features: must name at least one feature');
    let error: unknown;
    try {
      resolveFeatureSubset(['rsi14', 'rsi', 'macd', 'rsi14'], 'request.features');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const problems = (error as ValidationError).problems;
    expect(problems.map((p) => p.field)).toEqual(['request.features', 'request.features']);
    expect(problems[0].message).toMatch(/^unknown features "rsi", "macd"; known: rsi14, macdPct, /);
    expect(problems[0].value).toEqual(['rsi', 'macd']);
    expect(problems[1].message).toBe('names rsi14 more than once');
  });

  it('projects a full row onto the subset columns', () => {
    const row = Float64Array.from(FEATURE_NAMES, (_, i) => i * 10);
    expect(Array.from(projectRow(row, resolveFeatureSubset(['volumeRatio20', 'macdPct'])))).toEqual([10, 320]);
    expect(projectRow(row, resolveFeatureSubset(undefined))).toBe(row);
  });
});
