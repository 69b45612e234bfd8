import type { QuantumOptimizationService } from '../service/create-quantum-optimization-service';
import type { OptimizationJob } from '../service/optimization-job';

/** The job once it has ended (completed, failed or cancelled), as `service` answers for it. */
export async function settledOptimizationJob(
  service: QuantumOptimizationService,
  id: string,
): Promise<OptimizationJob> {
  for (;;) {
    const job = await service.job(id);
    if (job.status !== 'queued' && job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
