import { FeatureScaler } from './feature-scaler';

describe('FeatureScaler', () => {
  const train = [Float64Array.of(1, 10, 5), Float64Array.of(3, 10, 5), Float64Array.of(5, 10, 5)];

  it('z-scores with the training mean and population deviation; a constant column scales to 0', () => {
    const scaler = FeatureScaler.fit(train);
    // Column 0: mean 3, deviation sqrt(8/3).
    expect(scaler.toJSON()).toEqual({ mean: [3, 10, 5], deviation: [Math.sqrt(8 / 3), 1, 1], clip: 5, rows: 3 });
    const [a, b, c] = scaler.transform([3 + 2 * Math.sqrt(8 / 3), 10, 6]);
    expect(a).toBeCloseTo(2, 12);
    expect([b, c]).toEqual([0, 1]);
  });

  it('clips extreme values to ±clip', () => {
    const scaler = FeatureScaler.fit(train, 2);
    expect(Array.from(scaler.transform([1000, 10, -1000]))).toEqual([2, 0, -2]);
  });

  it('keeps its statistics whatever it is later applied to', () => {
    const scaler = FeatureScaler.fit(train);
    const before = JSON.stringify(scaler.toJSON());
    scaler.transform([1e9, -1e9, 0]);
    scaler.transform([0, 0, 0]);
    expect(JSON.stringify(scaler.toJSON())).toBe(before);
  });

  it('round-trips through JSON and rejects malformed state naming the field', () => {
    const scaler = FeatureScaler.fit(train);
    const copy = FeatureScaler.fromJSON(JSON.parse(JSON.stringify(scaler)));
    expect(Array.from(copy.transform([2, 11, 4]))).toEqual(Array.from(scaler.transform([2, 11, 4])));
    expect(() => FeatureScaler.fromJSON({ mean: [1, 2], deviation: [1, 0], clip: 5, rows: 3 })).toThrow(
      'feature scaler: scaler.deviation: must be an array of positive numbers',
    );
    expect(() => scaler.transform([1, 2])).toThrow('feature row: row: has 2 features; the scaler was fit on 3');
  });
});
