// A process running the backtesting service, for the kill test: argv is the database file and a JSON list of
// requests. The first runs on a predictor that never answers, so it stays running; the others wait in the queue.
// Once the first is stored as running it prints `running <id> queued <id>,<id>…` and waits to be killed.
import { openDatabase } from '@rrr/core';
import type { BacktestRequest } from '../api/backtest-request';
import { createBacktestingService } from '../service/create-backtesting-service';
import { heldPredictor } from './held-predictor';

async function main(): Promise<void> {
  const [dbPath, requests] = process.argv.slice(2);
  const db = await openDatabase({ sqlitePath: dbPath });
  const service = createBacktestingService({ db, predict: heldPredictor().predict }, { heartbeatMs: 200 });
  await service.start();
  const [busy, ...waiting] = JSON.parse(requests) as BacktestRequest[];
  const running = await service.submit(busy);
  const queued: string[] = [];
  for (const request of waiting) queued.push((await service.submit(request)).id);
  const statusOf = async (id: string) =>
    (await db.queryOne<{ status: string }>('SELECT status FROM backtest_runs WHERE id = ?', [id]))?.status;
  while ((await statusOf(running.id)) !== 'running') await new Promise((resolve) => setTimeout(resolve, 5));
  process.stdout.write(`running ${running.id} queued ${queued.join(',')}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
