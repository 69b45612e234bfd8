// A process running the quantum-optimization service, for the kill test: argv is the database file and the worker
// script. It submits a long QAOA job over every stored symbol, prints `running <id>` once the job runs, and waits to
// be killed.
import { openDatabase } from '@rrr/core';
import { createQuantumOptimizationService } from '../service/create-quantum-optimization-service';

async function main(): Promise<void> {
  const [dbPath, workerScript, symbols] = process.argv.slice(2);
  const db = await openDatabase({ sqlitePath: dbPath });
  const service = createQuantumOptimizationService({ db, workerScript }, { heartbeatMs: 200 });
  await service.start();
  const job = await service.submit({ symbols, k: 4, method: 'qaoa' });
  while ((await service.job(job.id)).status === 'queued') await new Promise((resolve) => setTimeout(resolve, 5));
  process.stdout.write(`running ${job.id}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
