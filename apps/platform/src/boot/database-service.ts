import { openDatabase, type Database, type PlatformConfig, type Service } from '@rrr/core';

/** The platform's store as a registry service: opened (and migrated) on start, closed on stop. */
export interface DatabaseService extends Service {
  readonly db: Database;
}

export function createDatabaseService(
  config: PlatformConfig['database'],
  onPoolError?: (err: Error) => void,
): DatabaseService {
  let db: Database | undefined;
  return {
    get db(): Database {
      if (!db) throw new Error('database service is not started');
      return db;
    },
    async start() {
      db = await openDatabase({ ...config, onPoolError });
    },
    async stop() {
      await db?.close();
      db = undefined;
    },
    async health() {
      if (!db) return { status: 'down', details: { reason: 'not started' } };
      const started = performance.now();
      await db.queryOne('SELECT 1 AS ok');
      return {
        status: 'up',
        details: { dialect: db.dialect, pingMs: Math.round((performance.now() - started) * 100) / 100 },
      };
    },
  };
}
