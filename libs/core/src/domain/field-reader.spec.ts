import { FieldReader, describeRange, describeValue, isInRange } from './field-reader';

describe('describeValue', () => {
  it('spells values the way a message should show them', () => {
    expect(describeValue('abc')).toBe('"abc"');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(-Infinity)).toBe('-Infinity');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue([1, 2])).toBe('an array of 2');
    expect(describeValue({ a: 1 })).toBe('an object');
    expect(describeValue(10n)).toBe('10n');
    expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(60)}…"`);
  });
});

describe('describeRange / isInRange', () => {
  it('states exclusive and inclusive bounds', () => {
    expect(describeRange({ min: 0, max: 1e7 })).toBe('must be > 0 and < 10000000');
    expect(describeRange({ min: 1e-6, minInclusive: true, max: 1e6, maxInclusive: true })).toBe(
      'must be >= 0.000001 and <= 1000000',
    );
    expect(describeRange({ min: 0, minInclusive: true })).toBe('must be >= 0');
  });

  it('honours inclusivity at the boundary', () => {
    expect(isInRange(0, { min: 0 })).toBe(false);
    expect(isInRange(0, { min: 0, minInclusive: true })).toBe(true);
    expect(isInRange(1e7, { max: 1e7 })).toBe(false);
    expect(isInRange(1e7, { max: 1e7, maxInclusive: true })).toBe(true);
  });
});

describe('FieldReader', () => {
  it('reports a non-object input once, at the root, and nothing for its fields', () => {
    for (const input of [null, undefined, 42, 'bar', [1, 2, 3]]) {
      const r = new FieldReader(input);
      expect(r.price('open')).toBeUndefined();
      expect(r.problems).toEqual([
        { field: '(root)', message: `must be an object (got ${describeValue(input)})`, value: input },
      ]);
    }
  });

  it('treats undefined and null as absent: required fields are reported, optional ones are not', () => {
    const r = new FieldReader({ a: null, c: null });
    expect(r.number('a')).toBeUndefined();
    expect(r.number('b')).toBeUndefined();
    expect(r.number('c', {}, { optional: true })).toBeUndefined();
    expect(r.problems).toEqual([
      { field: 'a', message: 'is required', value: null },
      { field: 'b', message: 'is required', value: undefined },
    ]);
  });

  it('rejects non-numbers, NaN and infinities as numbers', () => {
    const r = new FieldReader({ a: '12', b: Number.NaN, c: Infinity, d: true, e: 12 });
    expect(['a', 'b', 'c', 'd', 'e'].map((f) => r.number(f))).toEqual([undefined, undefined, undefined, undefined, 12]);
    expect(r.problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'a: must be a finite number (got "12")',
      'b: must be a finite number (got NaN)',
      'c: must be a finite number (got Infinity)',
      'd: must be a finite number (got true)',
    ]);
  });

  it('accepts only integer epoch milliseconds within Date range as timestamps', () => {
    const r = new FieldReader({ ok: 1_700_000_000_000, zero: 0, frac: 1.5, iso: '2024-01-01', huge: 8.64e15 + 1 });
    expect(r.timestamp('ok')).toBe(1_700_000_000_000);
    for (const f of ['zero', 'frac', 'iso', 'huge']) expect(r.timestamp(f)).toBeUndefined();
    expect(r.problems.map((p) => p.field)).toEqual(['zero', 'frac', 'iso', 'huge']);
    expect(r.problems[2].message).toBe(
      'must be an integer epoch-milliseconds timestamp > 0 and <= 8640000000000000 (got "2024-01-01")',
    );
  });

  it('accepts ids without whitespace up to 64 characters', () => {
    const r = new FieldReader({ ok: 'ord-1:a/b#2', space: 'a b', empty: '', long: 'x'.repeat(65), num: 7 });
    expect(r.id('ok')).toBe('ord-1:a/b#2');
    for (const f of ['space', 'empty', 'long', 'num']) expect(r.id(f)).toBeUndefined();
    expect(r.problems.map((p) => p.field)).toEqual(['space', 'empty', 'long', 'num']);
  });

  it('checks enumerations case-sensitively and lists the allowed values', () => {
    const r = new FieldReader({ side: 'BUY' });
    expect(r.oneOf('side', ['buy', 'sell'])).toBeUndefined();
    expect(r.problems[0].message).toBe('must be one of "buy", "sell" (got "BUY")');
  });

  it('reports nested fields under a dotted path into the same list', () => {
    const r = new FieldReader({ bracket: { stopLoss: -1 }, other: 5 });
    const bracket = r.nested('bracket');
    bracket?.price('stopLoss');
    expect(r.nested('other')).toBeUndefined();
    expect(r.problems).toEqual([
      { field: 'bracket.stopLoss', message: 'must be > 0 and < 10000000 (got -1)', value: -1 },
      { field: 'other', message: 'must be an object (got 5)', value: 5 },
    ]);
  });

  it('requires booleans to be real booleans, not "true"', () => {
    const r = new FieldReader({ a: 'true', b: false });
    expect(r.boolean('a')).toBeUndefined();
    expect(r.boolean('b')).toBe(false);
    expect(r.problems[0].message).toBe('must be true or false (got "true")');
  });

  it('rejects blank and over-long text', () => {
    const r = new FieldReader({ blank: '   ', long: 'abcdef', ok: 'abc' });
    expect(r.text('blank', 5)).toBeUndefined();
    expect(r.text('long', 5)).toBeUndefined();
    expect(r.text('ok', 5)).toBe('abc');
    expect(r.problems.map((p) => p.field)).toEqual(['blank', 'long']);
  });
});
