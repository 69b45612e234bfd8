import { encodeCopyTextRow, encodeCopyTextValue } from './copy-text-format';

describe('COPY text format', () => {
  it.each([
    [null, '\\N'],
    ['plain', 'plain'],
    ['\\N', '\\\\N'],
    ['tab\there', 'tab\\there'],
    ['line\nbreak\r\n', 'line\\nbreak\\r\\n'],
    ['back\\slash', 'back\\\\slash'],
    ['', ''],
    [1.5, '1.5'],
    [-0.000001, '-0.000001'],
    [1_700_000_000_000, '1700000000000'],
    [2n ** 63n - 1n, '9223372036854775807'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Uint8Array.of(0, 255, 16), '\\\\x00ff10'],
  ])('encodes %j as %j', (value, expected) => {
    expect(encodeCopyTextValue(value)).toBe(expected);
  });

  it('joins fields with tabs and ends the row with a newline', () => {
    expect(encodeCopyTextRow(['a\tb', null, 3])).toBe('a\\tb\t\\N\t3\n');
  });
});
