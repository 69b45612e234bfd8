import { z } from 'zod';
import { coerceEnvValue, deriveConfigEnvVars, readConfigEnv, toEnvSegment } from './config-env-vars';

const schema = z.strictObject({
  feature: z
    .strictObject({
      enabled: z.boolean().default(false),
      weights: z.array(z.number()).default(() => []),
      maxVar95Pct: z.number().optional(),
    })
    .prefault({}),
  name: z.string().default('x'),
});

describe('deriveConfigEnvVars', () => {
  it('turns camelCase path segments into SNAKE_CASE under the prefix', () => {
    expect(toEnvSegment('maxPositionPct')).toBe('MAX_POSITION_PCT');
    expect(toEnvSegment('maxVar95Pct')).toBe('MAX_VAR95_PCT');
    expect(toEnvSegment('url')).toBe('URL');
    expect(deriveConfigEnvVars(schema, { prefix: 'APP', aliases: { name: 'APP_NAME_ALIAS' } })).toEqual([
      { name: 'APP_FEATURE_ENABLED', path: 'feature.enabled', kind: 'boolean', secret: false, alias: false },
      {
        name: 'APP_FEATURE_WEIGHTS',
        path: 'feature.weights',
        kind: 'list',
        itemKind: 'number',
        secret: false,
        alias: false,
      },
      { name: 'APP_FEATURE_MAX_VAR95_PCT', path: 'feature.maxVar95Pct', kind: 'number', secret: false, alias: false },
      { name: 'APP_NAME', path: 'name', kind: 'string', secret: false, alias: false },
      { name: 'APP_NAME_ALIAS', path: 'name', kind: 'string', secret: false, alias: true },
    ]);
  });

  it('refuses a schema where two paths would share a variable', () => {
    const clash = z.strictObject({ fooBar: z.string(), foo: z.strictObject({ bar: z.string() }) });
    expect(() => deriveConfigEnvVars(clash, { prefix: 'APP' })).toThrow(
      'config schema: fooBar and foo.bar both map to the environment variable APP_FOO_BAR',
    );
  });
});

describe('coerceEnvValue', () => {
  it('reads booleans as true/false/1/0 and keeps other text for validation to reject', () => {
    const flag = { kind: 'boolean' as const };
    expect(['true', 'TRUE', '1', 'false', '0', 'yes'].map((text) => coerceEnvValue(text, flag))).toEqual([
      true,
      true,
      true,
      false,
      false,
      'yes',
    ]);
  });

  it('reads decimal numbers only', () => {
    const n = { kind: 'number' as const };
    expect(['42', '-1.5', '.5', '1e3', '0x10', '1,000', 'NaN'].map((text) => coerceEnvValue(text, n))).toEqual([
      42,
      -1.5,
      0.5,
      1000,
      '0x10',
      '1,000',
      'NaN',
    ]);
  });

  it('splits lists on commas and coerces each item', () => {
    expect(coerceEnvValue(' 1, 2.5 ,,x', { kind: 'list', itemKind: 'number' })).toEqual([1, 2.5, 'x']);
  });
});

describe('readConfigEnv', () => {
  const vars = deriveConfigEnvVars(schema, { prefix: 'APP', aliases: { name: 'LEGACY_NAME' } });

  it('builds a nested layer with the source of each value', () => {
    const layer = readConfigEnv(
      {
        APP_FEATURE_ENABLED: '1',
        APP_FEATURE_WEIGHTS: '0.2,0.8',
        LEGACY_NAME: 'legacy',
        APP_FEATURE_MAX_VAR95_PCT: '',
      },
      vars,
      { prefix: 'APP' },
    );
    expect(layer.values).toEqual({ feature: { enabled: true, weights: [0.2, 0.8] }, name: 'legacy' });
    expect([...layer.sources]).toEqual([
      ['feature.enabled', 'env APP_FEATURE_ENABLED'],
      ['feature.weights', 'env APP_FEATURE_WEIGHTS'],
      ['name', 'env LEGACY_NAME'],
    ]);
    expect(schema.parse(layer.values)).toEqual({ feature: { enabled: true, weights: [0.2, 0.8] }, name: 'legacy' });
  });

  it('reports prefixed variables that name no key, except the ignored ones', () => {
    const layer = readConfigEnv({ APP_FEATURE_ENABLD: 'true', APP_MODE: 'x', APP_ENV: 'test', OTHER: '1' }, vars, {
      prefix: 'APP',
      ignore: ['APP_ENV'],
    });
    expect(layer.problems).toEqual([
      { field: 'APP_FEATURE_ENABLD', message: 'unknown configuration variable; did you mean APP_FEATURE_ENABLED?' },
      { field: 'APP_MODE', message: 'unknown configuration variable' },
    ]);
    expect(layer.values).toEqual({});
  });
});
