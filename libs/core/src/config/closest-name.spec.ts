import { closestName } from './closest-name';

describe('closestName', () => {
  it('suggests the candidate one or two slips away', () => {
    expect(closestName('prot', ['host', 'port', 'corsOrigins'])).toBe('port');
    expect(closestName('sevrer', ['server', 'database'])).toBe('server');
    expect(closestName('RRR_SERVER_PORTT', ['RRR_SERVER_PORT', 'RRR_SERVER_HOST'])).toBe('RRR_SERVER_PORT');
    expect(closestName('maxpositionpct', ['maxPositionPct'])).toBe('maxPositionPct');
  });

  it('suggests nothing when no candidate is close', () => {
    expect(closestName('APP_MODE', ['APP_NAME', 'APP_FEATURE_ENABLED'])).toBeUndefined();
    expect(closestName('pt', ['port'])).toBeUndefined();
    expect(closestName('anything', [])).toBeUndefined();
  });
});
