import { openDatabase, PLATFORM_MIGRATIONS, toIso, type AppliedMigration, type PlatformConfig } from '@rrr/core';
import type { CommandModule } from 'yargs';
import type { CliIo } from '../cli-io';
import { loadCliConfig, withGlobalOptions, type GlobalArgs } from '../global-options';

function describeTarget(config: PlatformConfig): string {
  return config.database.url ? 'PostgreSQL (RRR_DATABASE_URL)' : `SQLite ${config.database.sqlitePath}`;
}

interface DbArgs extends GlobalArgs {
  action: 'migrate' | 'status';
}

export function dbCommand(io: CliIo): CommandModule<object, DbArgs> {
  return {
    command: 'db <action>',
    describe: 'apply pending schema migrations (migrate) or list applied and pending ones (status)',
    builder: (yargs) =>
      withGlobalOptions(yargs).positional('action', { choices: ['migrate', 'status'] as const, demandOption: true }),
    handler: async (args) => {
      const { action } = args;
      const config = loadCliConfig(args);
      // `status` must not change the schema: open with no migrations to apply, then compare.
      const db = await openDatabase({
        ...config.database,
        migrations: action === 'migrate' ? PLATFORM_MIGRATIONS : [],
      });
      try {
        const applied = await db.query<AppliedMigration>(
          'SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version',
        );
        const byVersion = new Map(applied.map((m) => [m.version, m]));
        io.out(`database: ${describeTarget(config)}`);
        for (const migration of PLATFORM_MIGRATIONS) {
          const row = byVersion.get(migration.version);
          const state = row ? `applied ${toIso(row.applied_at)}` : 'pending';
          io.out(`  ${String(migration.version).padStart(4, '0')} ${migration.name.padEnd(32)} ${state}`);
        }
        const pending = PLATFORM_MIGRATIONS.filter((m) => !byVersion.has(m.version)).length;
        io.out(pending === 0 ? 'schema is up to date' : `${pending} migration(s) pending: run \`rrr db migrate\``);
      } finally {
        await db.close();
      }
    },
  };
}
