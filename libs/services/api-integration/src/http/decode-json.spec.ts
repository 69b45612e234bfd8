import { ValidationError } from '@rrr/core';
import { z } from 'zod';
import { decodeJson, formatIssuePath } from './decode-json';

describe('decodeJson', () => {
  const schema = z.object({ results: z.array(z.object({ t: z.number().int(), o: z.number() })) });

  it('returns the typed value of a valid body', () => {
    expect(decodeJson('{"results":[{"t":1,"o":2.5}]}', schema, 'page')).toEqual({ results: [{ t: 1, o: 2.5 }] });
  });

  it('names every bad field with its path', () => {
    const error = (() => {
      try {
        decodeJson('{"results":[{"t":1,"o":2},{"t":1.5,"o":"x"}]}', schema, 'GET h/p response');
      } catch (e) {
        return e as ValidationError;
      }
      throw new Error('expected a failure');
    })();
    expect(error.code).toBe('DATA_INVALID');
    expect(error.problems.map((p) => p.field)).toEqual(['results[1].t', 'results[1].o']);
    expect(error.message).toMatch(/^GET h\/p response: results\[1\]\.t: .*; results\[1\]\.o: /);
  });

  it('reports a body that is not JSON by what it starts with', () => {
    expect(() => decodeJson('<html>oops</html>', schema, 'page')).toThrow(
      /\(body\): is not valid JSON .* starts with "<html>oops<\/html>"/,
    );
  });

  it('accepts a decoder function', () => {
    expect(decodeJson('[1,2]', (value) => (value as number[]).length, 'list')).toBe(2);
  });

  it('formats paths', () => {
    expect(formatIssuePath([])).toBe('(root)');
    expect(formatIssuePath([0, 'a', 'b', 3])).toBe('[0].a.b[3]');
  });
});
