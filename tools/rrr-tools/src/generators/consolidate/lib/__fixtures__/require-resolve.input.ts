export const samplePath = require.resolve('../fixtures/sample_bars.json');
export const storePath = require.resolve('../storageLayer/sqlite_store');
export const limiterPath = require.resolve('../../../risk_management/src/limits/daily_loss');
export const pinoPath = require.resolve('pino');
