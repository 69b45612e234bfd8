import type { BacktestJob } from '../service/backtest-job';
import type { BacktestingService } from '../service/create-backtesting-service';

/**
 * Polls until the service's job has left queued/running (jobs run on this thread, so the poll only waits its turn);
 * fails after `timeoutMs`.
 */
export async function settledJob(service: BacktestingService, id: string, timeoutMs = 20_000): Promise<BacktestJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = service.job(id);
    if (job.status !== 'queued' && job.status !== 'running') return job;
    if (Date.now() > deadline) throw new Error(`backtest ${id} is still ${job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
