/** An error's message; duck-typed because errors from Node's own modules fail `instanceof Error` under jest. */
export function errorMessage(err: unknown): string {
  const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(err);
}
