/** A label value must come from a small set: free-text reasons would create one time series per message. */
const CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,63}$/;
const RULE_PATTERN = /^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*$/;

/**
 * The reason code of an order rejection, for the `reason` label: the part before the first ':' when it is an error
 * code (`RISK_REJECTED`) or a rule name (`max-position-size`, as RiskRejectedError formats its message), the whole
 * reason when it is itself one, else `other`; `unspecified` when there is no reason.
 */
export function rejectReasonCode(reason: string | undefined | null): string {
  const text = reason?.trim() ?? '';
  if (text === '') return 'unspecified';
  const head = (text.includes(':') ? text.slice(0, text.indexOf(':')) : text).trim();
  if (head.length <= 64 && (CODE_PATTERN.test(head) || RULE_PATTERN.test(head))) return head;
  return 'other';
}
