import { setTimeout as sleep } from 'node:timers/promises';
import { createMetricsRegistry } from './create-metrics-registry';
import { timeAsync } from './time-async';

function observed(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no series ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe('timeAsync', () => {
  it('returns the result and observes the duration in seconds', async () => {
    const metrics = createMetricsRegistry();
    const histogram = metrics.histogram({
      name: 'rrr_job_seconds',
      help: 'Job',
      labelNames: ['job'],
      buckets: [0.001, 10],
    });

    await expect(timeAsync(histogram, { job: 'backfill' }, async () => (await sleep(30), 42))).resolves.toBe(42);

    const text = await metrics.metrics();
    expect(observed(text, 'rrr_job_seconds_count{job="backfill"}')).toBe(1);
    const seconds = observed(text, 'rrr_job_seconds_sum{job="backfill"}');
    expect(seconds).toBeGreaterThanOrEqual(0.025);
    expect(seconds).toBeLessThan(10);
    expect(observed(text, 'rrr_job_seconds_bucket{le="0.001",job="backfill"}')).toBe(0);
  });

  it('observes the duration when fn throws, and rethrows the same error', async () => {
    const metrics = createMetricsRegistry();
    const histogram = metrics.histogram({ name: 'rrr_job_seconds', help: 'Job', labelNames: ['job'] });
    const failure = new Error('venue down');

    await expect(
      timeAsync(histogram, { job: 'sync' }, async () => {
        await sleep(20);
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(
      timeAsync(histogram, { job: 'sync' }, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);

    const text = await metrics.metrics();
    expect(observed(text, 'rrr_job_seconds_count{job="sync"}')).toBe(2);
    expect(observed(text, 'rrr_job_seconds_sum{job="sync"}')).toBeGreaterThanOrEqual(0.015);
  });
});
