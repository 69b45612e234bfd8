import { ValidationError } from '@rrr/core';
import type { AuditAnchor } from './audit-chain-verifier';
import type { AuditVerification } from './audit-trail';

/** `seq:hash`, the form `rrr audit verify --anchor` takes and `rrr audit head` prints. */
export function formatAuditAnchor(anchor: AuditAnchor): string {
  return `${anchor.seq}:${anchor.hash}`;
}

export function parseAuditAnchor(text: string): AuditAnchor {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  const seq = match === null ? Number.NaN : Number(match[1]);
  if (match === null || !Number.isSafeInteger(seq) || seq < 1) {
    throw new ValidationError('audit anchor', [
      { field: 'anchor', message: 'must be <seq>:<64 hex digits of the hash>, e.g. 42:3f9a…', value: text },
    ]);
  }
  return { seq, hash: match[2] };
}

/** One or two lines for a terminal: the verdict, then where and why it broke. Exit non-zero when `!result.ok`. */
export function formatAuditVerification(result: AuditVerification): string {
  const head = result.head === null ? 'empty' : `head ${formatAuditAnchor(result.head)}`;
  if (result.ok) return `audit trail OK: ${result.records} record${result.records === 1 ? '' : 's'} verified, ${head}`;
  const { broken } = result;
  return (
    `audit trail BROKEN at record ${broken.seq} (${broken.reason}): ${broken.message}\n` +
    `${result.records} record${result.records === 1 ? '' : 's'} verified before it, last good ${head}`
  );
}
