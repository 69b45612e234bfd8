/** The title of a control that needs a key nobody has entered yet. */
export function apiKeyNeeded(scope: 'trade' | 'admin'): string {
  return `needs an API key with ${scope} scope: enter one under "API key" at the top`;
}

/**
 * Enables `button` when no reason stands in its way; otherwise disables it, with the first reason as its title so
 * that hovering says why. `title` is the enabled button's own hint.
 */
export function setAvailability(
  button: HTMLButtonElement,
  reasons: readonly (string | false | undefined)[],
  title = '',
): void {
  const reason = reasons.find((r): r is string => typeof r === 'string' && r !== '');
  button.disabled = reason !== undefined;
  button.title = reason ?? title;
}
