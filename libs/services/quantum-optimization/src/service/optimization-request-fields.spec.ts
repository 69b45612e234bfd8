import { INTERVALS, ValidationError } from '@rrr/core';
import { PORTFOLIO_METHODS } from '../optimize-portfolio';
import { resolveOptimizationRequest, type OptimizationRequest } from './optimization-request';
import { OPTIMIZATION_REQUEST_FIELDS, type OptimizationRequestFieldSpec } from './optimization-request-fields';

function field(name: OptimizationRequestFieldSpec['name']): OptimizationRequestFieldSpec {
  const spec = OPTIMIZATION_REQUEST_FIELDS.find((f) => f.name === name);
  if (spec === undefined) throw new Error(`no field ${name}`);
  return spec;
}

/** The fields resolveOptimizationRequest names for `request`; none when it accepts it. */
function refusedFields(request: OptimizationRequest): string[] {
  try {
    resolveOptimizationRequest(request);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => p.field);
    throw error;
  }
  return [];
}

const symbolsOf = (count: number) => Array.from({ length: count }, (_, i) => `SYM${String(i).padStart(2, '0')}`);

describe('OPTIMIZATION_REQUEST_FIELDS', () => {
  it('publishes every field of the request with its default and bounds', () => {
    expect(OPTIMIZATION_REQUEST_FIELDS.map((f) => [f.name, f.type, f.required, f.default, f.min, f.max])).toEqual([
      ['symbols', 'symbols', true, null, 2, 20],
      ['k', 'integer', false, null, 1, 20],
      ['method', 'choice', false, 'all', undefined, undefined],
      ['riskAversion', 'number', false, 1, 0, undefined],
      ['seed', 'integer', false, 1, undefined, undefined],
      ['interval', 'choice', false, '1d', undefined, undefined],
      ['from', 'time', false, null, undefined, undefined],
      ['to', 'time', false, null, undefined, undefined],
    ]);
    expect(field('method').choices).toEqual(['all', ...PORTFOLIO_METHODS]);
    expect(field('interval').choices).toEqual(INTERVALS);
  });

  it('holds the defaults resolveOptimizationRequest applies', () => {
    const resolved = resolveOptimizationRequest({ symbols: symbolsOf(5) });
    for (const spec of OPTIMIZATION_REQUEST_FIELDS) {
      if (spec.default === null) continue;
      expect({ field: spec.name, value: resolved[spec.name] }).toEqual({ field: spec.name, value: spec.default });
    }
    // k's default follows the symbols: half of them, rounded up.
    expect(resolved.k).toBe(3);
    expect([resolved.from, resolved.to]).toEqual([null, null]);
  });

  it('holds the bounds resolveOptimizationRequest checks: the bound passes, one step beyond is refused', () => {
    const symbols = field('symbols');
    expect(refusedFields({ symbols: symbolsOf(symbols.min ?? NaN) })).toEqual([]);
    expect(refusedFields({ symbols: symbolsOf(symbols.max ?? NaN) })).toEqual([]);
    expect(refusedFields({ symbols: symbolsOf((symbols.min ?? NaN) - 1) })).toEqual(['symbols']);
    expect(refusedFields({ symbols: symbolsOf((symbols.max ?? NaN) + 1) })).toEqual(['symbols']);

    const k = field('k');
    const all = symbolsOf(k.max ?? NaN);
    expect(refusedFields({ symbols: all, k: k.min })).toEqual([]);
    expect(refusedFields({ symbols: all, k: k.max })).toEqual([]);
    expect(refusedFields({ symbols: all, k: (k.min ?? NaN) - 1 })).toEqual(['k']);
    expect(refusedFields({ symbols: all, k: (k.max ?? NaN) + 1 })).toEqual(['k']);

    const riskAversion = field('riskAversion');
    expect(refusedFields({ symbols: all, riskAversion: riskAversion.min })).toEqual([]);
    expect(refusedFields({ symbols: all, riskAversion: (riskAversion.min ?? NaN) - 1e-9 })).toEqual(['riskAversion']);

    for (const name of ['method', 'interval'] as const) {
      for (const choice of field(name).choices ?? []) {
        expect({ name, choice, refused: refusedFields({ symbols: all, [name]: choice }) }).toEqual({
          name,
          choice,
          refused: [],
        });
      }
      expect(refusedFields({ symbols: all, [name]: 'other' })).toEqual([name]);
    }
  });
});
