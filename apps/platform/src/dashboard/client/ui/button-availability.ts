import { scopeAllows } from '../../../security/api-key-scope';
import type { ApiKeyScope } from '../api/wire-types';

/** The title of a control that needs a key nobody has entered yet. */
export function apiKeyNeeded(scope: 'trade' | 'admin'): string {
  return `needs an API key with ${scope} scope: enter one under "API key" at the top`;
}

/**
 * Why the kept key (of `scope`, undefined when none) cannot do `action`, which needs `required`; undefined when it
 * can. The server would refuse such a call with 403 anyway: saying so on the control spares the round trip.
 */
export function keyScopeProblem(
  scope: ApiKeyScope | undefined,
  required: 'trade' | 'admin',
  action: string,
): string | undefined {
  if (scope === undefined) return apiKeyNeeded(required);
  return scopeAllows(scope, required) ? undefined : `this key has ${scope} scope; ${action} needs ${required}`;
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
