import { formatAuditAnchor, formatAuditVerification, parseAuditAnchor } from './format-audit-verification';

const hash = 'ab'.repeat(32);

describe('audit anchors and verdicts for the CLI', () => {
  it('round-trips an anchor and rejects anything else naming the expected form', () => {
    expect(parseAuditAnchor(` ${formatAuditAnchor({ seq: 42, hash })}\n`)).toEqual({ seq: 42, hash });
    expect(() => parseAuditAnchor('42:xyz')).toThrow('audit anchor: anchor: must be <seq>:<64 hex digits of the hash>');
    expect(() => parseAuditAnchor(`0:${hash}`)).toThrow('audit anchor');
  });

  it('prints OK with the head, or where and why the chain broke', () => {
    expect(formatAuditVerification({ ok: true, records: 1, head: { seq: 1, hash } })).toBe(
      `audit trail OK: 1 record verified, head 1:${hash}`,
    );
    expect(formatAuditVerification({ ok: true, records: 0, head: null })).toBe(
      'audit trail OK: 0 records verified, empty',
    );
    expect(
      formatAuditVerification({
        ok: false,
        records: 2,
        head: { seq: 2, hash },
        broken: { seq: 4, reason: 'seq-gap', message: 'record 3 is missing: seq jumps from 2 to 4' },
      }),
    ).toBe(
      'audit trail BROKEN at record 4 (seq-gap): record 3 is missing: seq jumps from 2 to 4\n' +
        `2 records verified before it, last good head 2:${hash}`,
    );
  });
});
