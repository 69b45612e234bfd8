import { computeAuditHash } from './audit-hash';
import { canonicalJson, type JsonValue } from './canonical-json';

/** A row of `audit_log` as the database returns it. */
export interface AuditRow {
  seq: number | bigint | string;
  ts: number | bigint | string;
  actor: string;
  action: string;
  payload: string;
  prev_hash: string | null;
  hash: string;
}

/** A trusted (seq, hash) pair of the chain, kept outside the database, against which truncation is detected. */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/**
 * Why verification stopped:
 * - `seq-gap`: a number is missing (a record was deleted) or the chain does not start at 1.
 * - `prev-hash-mismatch`: the record does not link to the one before it (removed and renumbered, inserted, moved).
 * - `hash-mismatch`: the stored hash is not the hash of the record's contents (a field was edited).
 * - `malformed`: a field cannot be read (not a number, payload not canonical JSON, bad hash format).
 * - `anchor-mismatch`: the record at the anchor's seq has another hash (the chain was recomputed after an edit).
 * - `truncated`: the chain ends before the anchor (records at the end were deleted).
 */
export type AuditBreakReason =
  | 'seq-gap'
  | 'prev-hash-mismatch'
  | 'hash-mismatch'
  | 'malformed'
  | 'anchor-mismatch'
  | 'truncated';

export interface AuditBreak {
  /** The first record that does not verify (for `truncated`: the first missing one). */
  seq: number;
  reason: AuditBreakReason;
  message: string;
  expected?: string | number | null;
  actual?: string | number | null;
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;

function toInteger(value: number | bigint | string): number | undefined {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

function short(hash: string | null): string {
  return hash === null ? 'null' : `${hash.slice(0, 12)}…`;
}

/**
 * Checks an audit chain one record at a time, in seq order, holding only the previous record's seq and hash, so a
 * chain of any length verifies in constant memory. The first failure is final: later records are not looked at.
 */
export class AuditChainVerifier {
  private last: AuditAnchor | null = null;
  private count = 0;
  private broken: AuditBreak | undefined;

  constructor(private readonly anchor?: AuditAnchor) {}

  /** Records verified so far. */
  get verified(): number {
    return this.count;
  }

  /** The last verified record, or null when none. */
  get head(): AuditAnchor | null {
    return this.last;
  }

  /** Checks the next row; returns the break when this row is the first that fails. */
  check(row: AuditRow): AuditBreak | undefined {
    if (this.broken !== undefined) return this.broken;
    const result = this.inspect(row);
    if (result !== undefined) {
      this.broken = result;
      return result;
    }
    this.count++;
    return undefined;
  }

  /** Call after the last row: detects a chain that ends before the anchor. */
  finish(): AuditBreak | undefined {
    if (this.broken !== undefined) return this.broken;
    const endSeq = this.last?.seq ?? 0;
    if (this.anchor !== undefined && endSeq < this.anchor.seq) {
      this.broken = {
        seq: endSeq + 1,
        reason: 'truncated',
        message:
          `the chain ends at record ${endSeq} but the anchor is record ${this.anchor.seq}: ` +
          `records ${endSeq + 1}..${this.anchor.seq} were deleted`,
        expected: this.anchor.seq,
        actual: endSeq,
      };
    }
    return this.broken;
  }

  private inspect(row: AuditRow): AuditBreak | undefined {
    const expectedSeq = (this.last?.seq ?? 0) + 1;
    const seq = toInteger(row.seq);
    const ts = toInteger(row.ts);
    const at = seq ?? expectedSeq;
    const malformed = (message: string): AuditBreak => ({ seq: at, reason: 'malformed', message });
    if (seq === undefined) return malformed(`seq ${String(row.seq)} is not an integer`);
    if (seq !== expectedSeq) {
      return {
        seq,
        reason: 'seq-gap',
        message:
          seq > expectedSeq
            ? `record${seq - expectedSeq > 1 ? `s ${expectedSeq}..${seq - 1} are` : ` ${expectedSeq} is`} missing: ` +
              `seq jumps from ${expectedSeq - 1} to ${seq}`
            : `record ${seq} appears again after record ${expectedSeq - 1}`,
        expected: expectedSeq,
        actual: seq,
      };
    }
    const prevHash = row.prev_hash;
    const expectedPrev = this.last?.hash ?? null;
    if (prevHash !== expectedPrev) {
      return {
        seq,
        reason: 'prev-hash-mismatch',
        message:
          expectedPrev === null
            ? `the first record must have no prev_hash, found ${short(prevHash)}: records before it were removed`
            : `prev_hash ${short(prevHash)} is not the hash of record ${seq - 1} (${short(expectedPrev)}): ` +
              'a record was removed, inserted or moved here',
        expected: expectedPrev,
        actual: prevHash,
      };
    }
    if (ts === undefined) return malformed(`ts ${String(row.ts)} is not an integer`);
    if (typeof row.actor !== 'string' || typeof row.action !== 'string')
      return malformed('actor and action must be text');
    if (typeof row.hash !== 'string' || !HASH_PATTERN.test(row.hash))
      return malformed('hash is not 64 lower-case hex digits');
    let payload: JsonValue;
    try {
      payload = JSON.parse(row.payload) as JsonValue;
    } catch {
      return malformed('payload is not valid JSON');
    }
    let canonical: string | undefined;
    try {
      canonical = canonicalJson(payload, 'audit payload');
    } catch {
      canonical = undefined;
    }
    if (canonical !== row.payload) {
      return malformed('payload is not in canonical form: it was rewritten outside the audit trail');
    }
    const actual = computeAuditHash({ seq, ts, actor: row.actor, action: row.action, payload, prevHash });
    if (actual !== row.hash) {
      return {
        seq,
        reason: 'hash-mismatch',
        message: `stored hash ${short(row.hash)} is not the hash of the record's contents (${short(actual)}): ts, actor, action or payload was edited`,
        expected: actual,
        actual: row.hash,
      };
    }
    if (this.anchor !== undefined && this.anchor.seq === seq && this.anchor.hash !== row.hash) {
      return {
        seq,
        reason: 'anchor-mismatch',
        message: `record ${seq} has hash ${short(row.hash)} but the anchor says ${short(this.anchor.hash)}: the chain up to here was rewritten and rehashed`,
        expected: this.anchor.hash,
        actual: row.hash,
      };
    }
    this.last = { seq, hash: row.hash };
    return undefined;
  }
}
