import type { MonitorTimers } from './monitor-timers';

/**
 * Runs `run` every `intervalMs` with a timeout chain rather than setInterval: the next run is scheduled only after
 * the previous one has settled, so a slow health source or notifier can never pile up overlapping runs.
 */
export class PeriodicTask {
  private handle: unknown;
  private running: Promise<void> | undefined;
  private active = false;

  constructor(
    private readonly run: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly timers: MonitorTimers,
    private readonly onError: (error: unknown) => void,
  ) {}

  get isActive(): boolean {
    return this.active;
  }

  /** Starts the loop; with `immediate` the first run happens now and the returned promise settles after it. */
  async start(options: { immediate?: boolean } = {}): Promise<void> {
    if (this.active) return;
    this.active = true;
    if (options.immediate === true) await this.tick();
    else this.schedule();
  }

  /** Cancels the next run and waits for a run in progress. */
  async stop(): Promise<void> {
    this.active = false;
    if (this.handle !== undefined) {
      this.timers.clearTimeout(this.handle);
      this.handle = undefined;
    }
    await this.running;
  }

  private schedule(): void {
    if (!this.active) return;
    // The callback returns the run's promise so that ManualTimers can await a fired timer's work in tests.
    this.handle = this.timers.setTimeout(() => this.tick(), this.intervalMs);
  }

  private async tick(): Promise<void> {
    this.handle = undefined;
    const run = this.run().catch(this.onError);
    this.running = run;
    try {
      await run;
    } finally {
      if (this.running === run) this.running = undefined;
    }
    this.schedule();
  }
}
