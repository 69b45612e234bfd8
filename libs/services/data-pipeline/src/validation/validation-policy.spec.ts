import { resolveQualityThresholds } from './quality-thresholds';
import { resolveValidationPolicy } from './validation-policy';

describe('validation policy and thresholds', () => {
  it('completes a policy from an error policy name or a partial policy', () => {
    expect(resolveValidationPolicy(undefined)).toEqual({ errors: 'reject', anomalies: 'keep' });
    expect(resolveValidationPolicy('quarantine')).toEqual({ errors: 'quarantine', anomalies: 'keep' });
    expect(resolveValidationPolicy({ anomalies: 'reject' })).toEqual({ errors: 'reject', anomalies: 'reject' });
  });

  it('names the field of an unknown policy', () => {
    expect(() => resolveValidationPolicy('fix' as 'repair')).toThrow(
      'validation policy: policy.errors: must be one of reject, repair, quarantine (got "fix")',
    );
  });

  it('checks thresholds and keeps the legacy defaults', () => {
    expect(resolveQualityThresholds()).toMatchObject({
      gapIntervals: 5,
      spikeReturn: 0.2,
      spikeZ: 4,
      volumeOutlierFactor: 5,
    });
    expect(() => resolveQualityThresholds({ returnWindow: 10, returnMinSamples: 20 })).toThrow(
      'returnMinSamples: must be <= returnWindow',
    );
    expect(() => resolveQualityThresholds({ volumeWindow: 2.5 })).toThrow('volumeWindow: must be an integer > 0');
  });
});
