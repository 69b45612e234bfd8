import { createHash } from 'node:crypto';
import { AuditChainVerifier, type AuditRow } from './audit-chain-verifier';
import { computeAuditHash } from './audit-hash';

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev: string | null = null;
  for (let seq = 1; seq <= n; seq++) {
    const payload = { n: seq };
    const hash = computeAuditHash({ seq, ts: 1000 + seq, actor: 'a', action: 'x', payload, prevHash: prev });
    rows.push({
      seq,
      ts: 1000 + seq,
      actor: 'a',
      action: 'x',
      payload: JSON.stringify(payload),
      prev_hash: prev,
      hash,
    });
    prev = hash;
  }
  return rows;
}

function verify(rows: AuditRow[], anchor?: { seq: number; hash: string }) {
  const verifier = new AuditChainVerifier(anchor);
  for (const row of rows) if (verifier.check(row) !== undefined) break;
  return { broken: verifier.finish(), verified: verifier.verified, head: verifier.head };
}

describe('computeAuditHash', () => {
  it('is the SHA-256 of the canonical JSON of the record without its hash', () => {
    const expected = createHash('sha256')
      .update(
        '{"action":"order.submit","actor":"api-key:7","payload":{"qty":1,"symbol":"BTC-USD"},"prev_hash":null,"seq":1,"ts":1700000000000}',
      )
      .digest('hex');
    expect(
      computeAuditHash({
        seq: 1,
        ts: 1_700_000_000_000,
        actor: 'api-key:7',
        action: 'order.submit',
        payload: { symbol: 'BTC-USD', qty: 1 },
        prevHash: null,
      }),
    ).toBe(expected);
  });
});

describe('AuditChainVerifier', () => {
  it('accepts an intact chain and reports its head', () => {
    const rows = chain(5);
    expect(verify(rows)).toEqual({ broken: undefined, verified: 5, head: { seq: 5, hash: rows[4].hash } });
    expect(verify([])).toEqual({ broken: undefined, verified: 0, head: null });
  });

  it('stops at the first broken record, whatever follows', () => {
    const rows = chain(6);
    rows[2] = { ...rows[2], payload: '{"n":999}' };
    rows[4] = { ...rows[4], actor: 'mallory' };
    expect(verify(rows)).toMatchObject({ verified: 2, broken: { seq: 3, reason: 'hash-mismatch' } });
  });

  it('reads seq and ts given as strings or bigints (database drivers differ)', () => {
    const rows = chain(2).map((r) => ({ ...r, seq: BigInt(r.seq as number), ts: String(r.ts) }));
    expect(verify(rows).broken).toBeUndefined();
  });

  it('reports malformed fields', () => {
    const rows = chain(2);
    expect(verify([{ ...rows[0], payload: '{oops' }]).broken).toMatchObject({
      seq: 1,
      reason: 'malformed',
      message: 'payload is not valid JSON',
    });
    expect(verify([{ ...rows[0], hash: 'ABC' }]).broken).toMatchObject({ reason: 'malformed' });
    expect(verify([{ ...rows[0], ts: 'soon' }]).broken).toMatchObject({
      reason: 'malformed',
      message: 'ts soon is not an integer',
    });
    expect(verify([{ ...rows[0], payload: '{"n": 1}' }]).broken).toMatchObject({
      reason: 'malformed',
      message: 'payload is not in canonical form: it was rewritten outside the audit trail',
    });
  });

  it('detects a chain that starts after 1 or a first record that links backwards', () => {
    const rows = chain(3);
    expect(verify(rows.slice(1)).broken).toMatchObject({
      seq: 2,
      reason: 'seq-gap',
      message: 'record 1 is missing: seq jumps from 0 to 2',
    });
    expect(verify(rows.slice(1).map((r) => ({ ...r, seq: Number(r.seq) - 1 }))).broken).toMatchObject({
      seq: 1,
      reason: 'prev-hash-mismatch',
    });
  });

  it('names a run of missing records', () => {
    const rows = chain(8);
    expect(verify([...rows.slice(0, 2), ...rows.slice(5)]).broken).toMatchObject({
      seq: 6,
      reason: 'seq-gap',
      message: 'records 3..5 are missing: seq jumps from 2 to 6',
      expected: 3,
      actual: 6,
    });
  });
});
