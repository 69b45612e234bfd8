import { systemClock, ValidationError, type Clock, type Database, type FieldProblem, type SqlValue } from '@rrr/core';
import { AuditChainVerifier, type AuditAnchor, type AuditBreak, type AuditRow } from './audit-chain-verifier';
import { computeAuditHash } from './audit-hash';
import { canonicalJson, type JsonValue } from './canonical-json';

export interface AuditEntryInput {
  /** Who did it: a service (`risk-management`), an API key id, `cli`. */
  actor: string;
  /** What was done, dotted lower-case by convention: `service.status`, `order.submit`, `kill-switch.engage`. */
  action: string;
  /** JSON data (see canonicalJson); stored in canonical form. */
  payload: unknown;
}

export interface AuditRecord {
  seq: number;
  ts: number;
  actor: string;
  action: string;
  payload: JsonValue;
  prevHash: string | null;
  hash: string;
}

export interface AuditListOptions {
  /** Records with seq greater than this (paging forward). */
  afterSeq?: number;
  /** Records with seq less than this (paging backward with newestFirst). */
  beforeSeq?: number;
  actor?: string;
  action?: string;
  /** Default 100, at most 1,000. */
  limit?: number;
  newestFirst?: boolean;
}

export interface AuditVerifyOptions {
  /** A (seq, hash) recorded earlier outside the database: detects a truncated tail or a rehashed chain. */
  anchor?: AuditAnchor;
  /** Rows per streamed batch. Default 1,000. */
  batchSize?: number;
  /** Called after each batch with the number of records verified so far (for a progress bar). */
  onProgress?: (verified: number) => void;
}

export type AuditVerification =
  | { ok: true; records: number; head: AuditAnchor | null }
  | { ok: false; records: number; head: AuditAnchor | null; broken: AuditBreak };

export interface AuditTrailOptions {
  clock?: Clock;
  /** Called after each committed append (e.g. to count it in a metric). */
  onAppend?: (record: AuditRecord) => void;
}

const MAX_TEXT = 200;
const COLUMNS = 'seq, ts, actor, action, payload, prev_hash, hash';

function toRecord(row: AuditRow): AuditRecord {
  return {
    seq: Number(row.seq),
    ts: Number(row.ts),
    actor: row.actor,
    action: row.action,
    payload: JSON.parse(row.payload) as JsonValue,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function checkText(field: string, value: unknown, problems: FieldProblem[]): void {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT) {
    problems.push({ field, message: `must be non-empty text of at most ${MAX_TEXT} characters`, value });
  }
}

/**
 * The tamper-evident audit trail in `audit_log`: each record carries the hash of the one before it and its own hash
 * over (seq, ts, actor, action, payload, prev_hash) — see computeAuditHash — so editing, deleting or moving any
 * record breaks the chain at that point, and `verify()` says where and why.
 *
 * Appends are serialised: one at a time within this instance, and inside a transaction that reads the last hash
 * under the database's write lock (SQLite's BEGIN IMMEDIATE; an EXCLUSIVE table lock on PostgreSQL, which still
 * lets readers through), so concurrent writers — other instances or processes — never fork the chain. Every write to
 * audit_log must go through this class: it assigns seq itself so the hash can cover it.
 */
export class AuditTrail {
  private readonly clock: Clock;
  private readonly onAppend: ((record: AuditRecord) => void) | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    options: AuditTrailOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.onAppend = options.onAppend;
  }

  /** Appends one record and returns it as stored. Rejects input that is not JSON data with a ValidationError. */
  append(input: AuditEntryInput): Promise<AuditRecord> {
    const problems: FieldProblem[] = [];
    checkText('actor', input.actor, problems);
    checkText('action', input.action, problems);
    if (problems.length > 0) return Promise.reject(new ValidationError('audit record', problems));
    let payloadText: string;
    try {
      payloadText = canonicalJson(input.payload, 'audit record', 'payload');
    } catch (error) {
      return Promise.reject(error);
    }
    const run = this.tail.catch(() => undefined).then(() => this.write(input.actor, input.action, payloadText));
    this.tail = run;
    return run;
  }

  /** The last record's (seq, hash): store it somewhere safe to detect a truncated tail later. Undefined when empty. */
  async head(): Promise<AuditAnchor | undefined> {
    const row = await this.db.queryOne<Pick<AuditRow, 'seq' | 'hash'>>(
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    return row === undefined ? undefined : { seq: Number(row.seq), hash: row.hash };
  }

  async get(seq: number): Promise<AuditRecord | undefined> {
    const row = await this.db.queryOne<AuditRow>(`SELECT ${COLUMNS} FROM audit_log WHERE seq = ?`, [seq]);
    return row === undefined ? undefined : toRecord(row);
  }

  /** A page of records in seq order (or newest first), optionally of one actor and/or action. */
  async list(options: AuditListOptions = {}): Promise<AuditRecord[]> {
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new ValidationError('audit list', [
        { field: 'limit', message: 'must be an integer in 1..1000', value: limit },
      ]);
    }
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (options.afterSeq !== undefined) {
      where.push('seq > ?');
      params.push(options.afterSeq);
    }
    if (options.beforeSeq !== undefined) {
      where.push('seq < ?');
      params.push(options.beforeSeq);
    }
    if (options.actor !== undefined) {
      where.push('actor = ?');
      params.push(options.actor);
    }
    if (options.action !== undefined) {
      where.push('action = ?');
      params.push(options.action);
    }
    const sql =
      `SELECT ${COLUMNS} FROM audit_log` +
      (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY seq ${options.newestFirst === true ? 'DESC' : 'ASC'} LIMIT ?`;
    const rows = await this.db.query<AuditRow>(sql, [...params, limit]);
    return rows.map(toRecord);
  }

  /**
   * Walks the whole chain in seq order, streamed in batches (constant memory), and reports the first record that
   * does not verify, with the reason. `records` counts the records verified before it.
   */
  async verify(options: AuditVerifyOptions = {}): Promise<AuditVerification> {
    const verifier = new AuditChainVerifier(options.anchor);
    let broken: AuditBreak | undefined;
    // Waits for appends already queued here, so "verify right after append" sees them.
    await this.tail.catch(() => undefined);
    scan: for await (const batch of this.db.stream<AuditRow>(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq`, [], {
      batchSize: options.batchSize ?? 1000,
    })) {
      for (const row of batch) {
        broken = verifier.check(row);
        if (broken !== undefined) break scan;
      }
      options.onProgress?.(verifier.verified);
    }
    broken ??= verifier.finish();
    const head = verifier.head;
    return broken === undefined
      ? { ok: true, records: verifier.verified, head }
      : { ok: false, records: verifier.verified, head, broken };
  }

  private async write(actor: string, action: string, payloadText: string): Promise<AuditRecord> {
    const record = await this.db.transaction(async (tx) => {
      // SQLite's transaction is BEGIN IMMEDIATE already; PostgreSQL needs the lock taken before reading the tail.
      if (tx.dialect === 'postgres') await tx.execute('LOCK TABLE audit_log IN EXCLUSIVE MODE');
      const last = await tx.queryOne<Pick<AuditRow, 'seq' | 'hash'>>(
        'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      const seq = last === undefined ? 1 : Number(last.seq) + 1;
      const prevHash = last?.hash ?? null;
      const ts = this.clock.now();
      const payload = JSON.parse(payloadText) as JsonValue;
      const hash = computeAuditHash({ seq, ts, actor, action, payload, prevHash });
      await tx.execute(`INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
        seq,
        ts,
        actor,
        action,
        payloadText,
        prevHash,
        hash,
      ]);
      return { seq, ts, actor, action, payload, prevHash, hash };
    });
    this.onAppend?.(record);
    return record;
  }
}
