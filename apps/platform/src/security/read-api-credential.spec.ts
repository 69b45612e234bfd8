import { readApiCredential } from './read-api-credential';

describe('readApiCredential', () => {
  const token = 'rrr_0123456789ab_' + 'x'.repeat(43);

  it('reads a Bearer token (scheme case-insensitive) or an x-api-key header', () => {
    expect(readApiCredential({ authorization: `Bearer ${token}` })).toEqual({ kind: 'token', token });
    expect(readApiCredential({ authorization: `bearer  ${token} ` })).toEqual({ kind: 'token', token });
    expect(readApiCredential({ 'x-api-key': token })).toEqual({ kind: 'token', token });
    expect(readApiCredential({ authorization: `Bearer ${token}`, 'x-api-key': token })).toEqual({
      kind: 'token',
      token,
    });
    expect(readApiCredential({})).toEqual({ kind: 'none' });
  });

  it('refuses other schemes, empty or repeated headers, and two different keys', () => {
    expect(readApiCredential({ authorization: 'Basic dXNlcjpwYXNz' })).toEqual({
      kind: 'invalid',
      message: 'the Authorization header must be "Bearer <api key>"',
    });
    expect(readApiCredential({ 'x-api-key': ' ' })).toEqual({
      kind: 'invalid',
      message: 'the x-api-key header is empty',
    });
    expect(readApiCredential({ 'x-api-key': [token, token] as unknown as string })).toEqual({
      kind: 'invalid',
      message: 'send one x-api-key header, not several',
    });
    expect(readApiCredential({ authorization: `Bearer ${token}`, 'x-api-key': 'other' })).toEqual({
      kind: 'invalid',
      message: 'the Authorization and x-api-key headers carry different keys',
    });
  });
});
