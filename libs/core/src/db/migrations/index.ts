import { platformSchemaMigration } from './0001-platform-schema';
import { quarantinedRowsMigration } from './0002-quarantined-rows';
import { tradingEngineStateMigration } from './0003-trading-engine-state';
import { apiKeysMigration } from './0004-api-keys';
import { signalsMigration } from './0005-signals';
import { dropBarsIntervalIndexMigration } from './0006-drop-bars-interval-index';
import { optimizationRunsMigration } from './0007-optimization-runs';
import { backtestRunHeartbeatsMigration } from './0008-backtest-run-heartbeats';
import { queuedBacktestRunsMigration } from './0009-queued-backtest-runs';
import { barSeriesMigration } from './0010-bar-series';
import { optimizationRunsHeartbeatIndexMigration } from './0011-optimization-runs-heartbeat-index';
import { modelTrainingRunsMigration } from './0012-model-training-runs';
import type { Migration } from './migration';

export * from './migration';

/** Every migration of the platform schema, oldest first. Append new ones; never edit a released one. */
export const PLATFORM_MIGRATIONS: readonly Migration[] = [
  platformSchemaMigration,
  quarantinedRowsMigration,
  tradingEngineStateMigration,
  apiKeysMigration,
  signalsMigration,
  dropBarsIntervalIndexMigration,
  optimizationRunsMigration,
  backtestRunHeartbeatsMigration,
  queuedBacktestRunsMigration,
  barSeriesMigration,
  optimizationRunsHeartbeatIndexMigration,
  modelTrainingRunsMigration,
];
