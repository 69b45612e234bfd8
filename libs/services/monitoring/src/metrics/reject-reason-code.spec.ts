import { RiskRejectedError } from '@rrr/core';
import { rejectReasonCode } from './reject-reason-code';

describe('rejectReasonCode', () => {
  it('takes the rule name of a RiskRejectedError message', () => {
    expect(
      rejectReasonCode(new RiskRejectedError('max-position-size', 'position would be 25 % of equity').message),
    ).toBe('max-position-size');
  });

  it('keeps error codes and bare rule names, maps free text to other and nothing to unspecified', () => {
    expect(rejectReasonCode('ORDER_INVALID: quantity must be > 0')).toBe('ORDER_INVALID');
    expect(rejectReasonCode('INSUFFICIENT_FUNDS')).toBe('INSUFFICIENT_FUNDS');
    expect(rejectReasonCode('kill-switch')).toBe('kill-switch');
    expect(rejectReasonCode('the venue said no, try later')).toBe('other');
    expect(rejectReasonCode('Venue Error: 500')).toBe('other');
    expect(rejectReasonCode(undefined)).toBe('unspecified');
    expect(rejectReasonCode('  ')).toBe('unspecified');
  });
});
