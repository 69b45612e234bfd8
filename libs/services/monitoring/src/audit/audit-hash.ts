import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from './canonical-json';

/** The fields a record's hash covers: everything in the row but the hash itself. */
export interface AuditHashInput {
  seq: number;
  ts: number;
  actor: string;
  action: string;
  payload: JsonValue;
  /** The previous record's hash; null for the first record. */
  prevHash: string | null;
}

/**
 * hash = lower-case hex SHA-256 of the UTF-8 canonical JSON of
 * `{"action", "actor", "payload", "prev_hash", "seq", "ts"}` (keys in that, sorted, order; see canonicalJson). Seq
 * and the previous hash are inside, so a record cannot be edited, moved or dropped without breaking the chain.
 */
export function computeAuditHash(input: AuditHashInput): string {
  const text = canonicalJson(
    {
      seq: input.seq,
      ts: input.ts,
      actor: input.actor,
      action: input.action,
      payload: input.payload,
      prev_hash: input.prevHash,
    },
    'audit record',
  );
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
