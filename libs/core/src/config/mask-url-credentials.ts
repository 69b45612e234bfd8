/**
 * Replaces the password of a URL (`postgres://user:pw@host/db`) with `[redacted]`, keeping everything an operator
 * needs to recognise the target. A string that is not a URL, or has no password, is returned unchanged.
 */
export function maskUrlCredentials(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (url.password === '') return value;
  // Rebuilt by hand: assigning url.password would percent-encode the brackets.
  return `${url.protocol}//${url.username}:[redacted]@${url.host}${url.pathname}${url.search}${url.hash}`;
}
