import { openDatabase } from '@rrr/core';
import { AuditTrail, formatAuditVerification, parseAuditAnchor } from '@rrr/monitoring';
import type { CommandModule } from 'yargs';
import type { CliIo, CliOutcome } from '../cli-io';
import { loadCliConfig, withGlobalOptions, type GlobalArgs } from '../global-options';

interface AuditArgs extends GlobalArgs {
  action: 'verify';
  anchor?: string;
}

/** Exit 0 when the hash chain is intact, 1 naming the first edited, deleted or reordered record when it is not. */
export function auditCommand(io: CliIo, outcome: CliOutcome): CommandModule<object, AuditArgs> {
  return {
    command: 'audit <action>',
    describe: 'verify the tamper-evident audit trail (hash chain) record by record',
    builder: (yargs) =>
      withGlobalOptions(yargs)
        .positional('action', { choices: ['verify'] as const, demandOption: true })
        .option('anchor', {
          type: 'string',
          describe:
            'a <seq>:<hash> head recorded earlier outside the database: also detects a truncated or rehashed tail',
        }),
    handler: async (args) => {
      const config = loadCliConfig(args);
      const anchor = args.anchor ? parseAuditAnchor(args.anchor) : undefined;
      const db = await openDatabase(config.database);
      try {
        const result = await new AuditTrail(db).verify({ anchor });
        io.out(formatAuditVerification(result));
        if (!result.ok) outcome.exitCode = 1;
      } finally {
        await db.close();
      }
    },
  };
}
