import { ValidationError } from '@rrr/core';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace, so key order never changes the text', () => {
    const a = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } };
    const b = { a: { c: 'x', d: [3, { y: null, z: true }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('writes numbers and strings as JSON does, -0 as 0, and leaves out undefined properties', () => {
    expect(canonicalJson({ n: 0.1 + 0.2, big: 1e21, neg: -0, s: 'é"\n', u: undefined })).toBe(
      '{"big":1e+21,"n":0.30000000000000004,"neg":0,"s":"é\\"\\n"}',
    );
    expect(JSON.parse(canonicalJson({ k: 0.1 + 0.2 }))).toEqual({ k: 0.30000000000000004 });
  });

  it('sorts keys by UTF-16 code units', () => {
    expect(canonicalJson({ b: 1, B: 2, ä: 3, a: 4 })).toBe('{"B":2,"a":4,"b":1,"ä":3}');
  });

  it('refuses what is not JSON data, naming every offending path', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    let error: unknown;
    try {
      canonicalJson(
        { at: new Date(0), list: [1, undefined], n: Number.NaN, big: 10n, f: () => 1, cyclic },
        'audit record',
        'payload',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.field)).toEqual([
      'payload.at',
      'payload.big',
      'payload.cyclic.self',
      'payload.f',
      'payload.list[1]',
      'payload.n',
    ]);
    expect(() => canonicalJson(undefined)).toThrow('value: (root): must be JSON data, not a undefined');
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });
});
