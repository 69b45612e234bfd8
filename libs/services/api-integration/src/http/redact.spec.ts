import { describeRequestTarget, redactSecrets, redactUrl } from './redact';

describe('redaction', () => {
  it('masks secret query parameters and passwords but keeps the rest of the URL', () => {
    expect(redactUrl('https://api.polygon.io/v2/aggs?cursor=abc&apiKey=K123&limit=5')).toBe(
      'https://api.polygon.io/v2/aggs?cursor=abc&apiKey=[redacted]&limit=5',
    );
    expect(redactUrl('https://u:pw@x.io/a?Signature=ff&API_KEY=1')).toBe(
      'https://u:[redacted]@x.io/a?Signature=[redacted]&API_KEY=[redacted]',
    );
    expect(redactUrl('https://x.io/a?session=s1', ['session'])).toBe('https://x.io/a?session=[redacted]');
    expect(redactUrl('not a url?apiKey=K123')).toBe('[unparseable url]');
  });

  it('names a request by method, host and path only', () => {
    expect(describeRequestTarget('GET', 'https://api.polygon.io:8443/v2/aggs/ticker/AAPL?apiKey=K')).toBe(
      'GET api.polygon.io:8443/v2/aggs/ticker/AAPL',
    );
  });

  it('removes every occurrence of each secret, longest first', () => {
    expect(redactSecrets('key abcd1234 and abcd1234xyz', ['abcd1234', 'abcd1234xyz', undefined, 'ab'])).toBe(
      'key [redacted] and [redacted]',
    );
  });
});
