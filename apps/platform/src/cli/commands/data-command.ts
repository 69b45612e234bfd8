import {
  isInterval,
  openDatabase,
  parseIso,
  toIso,
  ValidationError,
  type FieldProblem,
  type Interval,
} from '@rrr/core';
import {
  BACKFILL_SOURCE_KINDS,
  createBackfillSource,
  formatSymbolListing,
  formatSymbolQualityReport,
  importFile,
  listSymbols,
  qualityReport,
  runBackfill,
  type BackfillSourceKind,
} from '@rrr/data-pipeline';
import type { Argv, CommandModule } from 'yargs';
import type { CliIo, CliOutcome } from '../cli-io';
import { loadCliConfig, withGlobalOptions, type GlobalArgs } from '../global-options';
import { createProgressReporter } from '../progress-reporter';

interface DataArgs extends GlobalArgs {
  action: 'import' | 'backfill' | 'quality' | 'list';
  file?: string;
  symbol?: string;
  interval?: string;
  strict?: boolean;
  source?: string;
  from?: string;
  to?: string;
  seed?: number;
  restart?: boolean;
}

/** Checks every flag an action needs before any work starts; all problems at once. */
function requireFlags(args: DataArgs): { interval?: Interval; from?: number; to?: number } {
  const problems: FieldProblem[] = [];
  const need = (flag: keyof DataArgs, when: DataArgs['action'][]) => {
    if (when.includes(args.action) && (args[flag] === undefined || args[flag] === '')) {
      problems.push({ field: `--${String(flag)}`, message: `is required for \`rrr data ${args.action}\`` });
    }
  };
  need('file', ['import']);
  need('symbol', ['import', 'backfill', 'quality']);
  need('source', ['backfill']);
  if (args.interval !== undefined && !isInterval(args.interval)) {
    problems.push({ field: '--interval', message: 'must be one of 1m, 5m, 15m, 1h, 4h, 1d', value: args.interval });
  }
  const time = (flag: 'from' | 'to'): number | undefined => {
    const text = args[flag];
    if (text === undefined) return undefined;
    const ms = parseIso(text);
    if (Number.isNaN(ms))
      problems.push({ field: `--${flag}`, message: 'must be an ISO date such as 2020-01-31', value: text });
    return ms;
  };
  const from = time('from');
  const to = time('to');
  if (from !== undefined && to !== undefined && !(from < to)) {
    problems.push({ field: '--to', message: `must be after --from (${args.from})`, value: args.to });
  }
  if (problems.length > 0) throw new ValidationError(`rrr data ${args.action}`, problems);
  return { interval: args.interval as Interval | undefined, from, to };
}

export function dataCommand(io: CliIo, outcome: CliOutcome): CommandModule<object, DataArgs> {
  return {
    command: 'data <action> [file]',
    describe: 'market data: import a CSV/JSON file, backfill from a source, check quality, list stored series',
    builder: (yargs) =>
      (withGlobalOptions(yargs) as Argv<GlobalArgs>)
        .positional('action', { choices: ['import', 'backfill', 'quality', 'list'] as const, demandOption: true })
        .positional('file', { type: 'string', describe: 'import: the CSV/JSON/NDJSON file' })
        .option('symbol', { type: 'string', describe: 'the series symbol, e.g. SPX or BTC-USD' })
        .option('interval', { type: 'string', describe: 'bar interval (1m 5m 15m 1h 4h 1d)' })
        .option('strict', {
          type: 'boolean',
          default: false,
          describe: 'import: any bad row fails the import, nothing written',
        })
        .option('source', {
          type: 'string',
          choices: [...BACKFILL_SOURCE_KINDS],
          describe: 'backfill: where bars come from',
        })
        .option('from', { type: 'string', describe: 'backfill: first date (ISO, UTC)' })
        .option('to', { type: 'string', describe: 'backfill: end date, exclusive (ISO, UTC)' })
        .option('seed', {
          type: 'number',
          describe: 'backfill --source synthetic: the seed (default data.syntheticSeed)',
        })
        .option('restart', {
          type: 'boolean',
          default: false,
          describe: 'backfill: drop the checkpoint and start over',
        }) as Argv<DataArgs>,
    handler: async (args) => {
      const { interval, from, to } = requireFlags(args);
      const config = loadCliConfig(args);
      const db = await openDatabase(config.database);
      try {
        if (args.action === 'list') {
          io.out(formatSymbolListing(await listSymbols(db)));
        } else if (args.action === 'quality') {
          io.out(formatSymbolQualityReport(await qualityReport(db, { symbol: args.symbol as string, interval })));
        } else if (args.action === 'import') {
          const progress = createProgressReporter('import');
          const result = await importFile(
            db,
            args.file as string,
            { symbol: args.symbol, interval, strict: args.strict },
            (p) => progress.update(p.fraction ?? 0, `${p.rowsRead} rows`),
          ).finally(() => progress.stop());
          io.out(
            `imported ${result.barsStored} bars of ${result.symbols.join(', ')} (${result.interval}) from ${result.file}: ` +
              `${result.rowsRead} rows read, ${result.rejected} rejected, ${result.repaired} repaired, ${result.quarantined} quarantined`,
          );
          for (const problem of result.problems.slice(0, 50))
            io.err(
              `  ${problem.line !== undefined ? `line ${problem.line}: ` : ''}${problem.action}: ${problem.reason}`,
            );
          if (result.problems.length > 50) io.err(`  … and ${result.problems.length - 50} more problems`);
          if (result.rejected > 0) outcome.exitCode = 1;
        } else {
          const spec = {
            source: args.source as BackfillSourceKind,
            symbol: args.symbol as string,
            interval: interval ?? '1d',
            from,
            to,
            seed: args.seed ?? config.data.syntheticSeed,
            path: args.file,
          };
          const progress = createProgressReporter('backfill');
          const result = await runBackfill(
            db,
            { source: createBackfillSource(spec), from, to, restart: args.restart },
            (p) =>
              progress.update(p.fraction ?? 0, `${p.rowsWritten} bars${p.cursor ? ` up to ${toIso(p.cursor)}` : ''}`),
          ).finally(() => progress.stop());
          io.out(
            result.status === 'already-complete'
              ? `backfill ${result.jobId} was already complete: ${result.rowsWritten} bars stored`
              : `backfill ${result.jobId} completed${result.resumedAfter ? ` (resumed after ${toIso(result.resumedAfter)})` : ''}: ` +
                  `${result.barsStored} bars written by this run, ${result.rowsWritten} in total`,
          );
        }
      } finally {
        await db.close();
      }
    },
  };
}
