export const samplePath = require.resolve('../fixtures/sample-bars.json');
export const storePath = require.resolve('../storage-layer/sqlite-store');
export const limiterPath = require.resolve('../../../risk-management/src/limits/daily-loss');
export const pinoPath = require.resolve('pino');
