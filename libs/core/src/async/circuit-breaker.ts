import { CircuitOpenError } from '../errors';
import { systemClock, type Clock } from '../time';
import { checkOptions, isFiniteAtLeast, isIntAtLeast } from './option-checks';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Named in errors and state changes, e.g. the host it guards. */
  name: string;
  /** Consecutive failures (while closed) that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before a probe call is let through. */
  resetTimeoutMs: number;
  /** Probe calls allowed in flight at once while half-open; default 1. */
  halfOpenMaxCalls?: number;
  /**
   * Whether an error says the dependency is unhealthy. Errors judged not to be failures (a 404, a validation error)
   * still reach the caller but count as a healthy response. Default: every error is a failure.
   */
  isFailure?: (error: unknown) => boolean;
  clock?: Clock;
}

export interface CircuitStateChange {
  name: string;
  from: CircuitState;
  to: CircuitState;
  at: number;
}

export interface CircuitBreakerStats {
  name: string;
  state: CircuitState;
  consecutiveFailures: number;
  /** Calls that reached the guarded function. */
  calls: number;
  successes: number;
  failures: number;
  /** Errors that `isFailure` ruled healthy. */
  ignoredErrors: number;
  /** Calls refused with CircuitOpenError without calling the function. */
  rejected: number;
  halfOpenInFlight: number;
  openedAt: number | undefined;
  /** When an open circuit lets the next probe through. */
  retryAt: number | undefined;
}

/**
 * Stops calling a failing dependency for a while, then lets a limited number of probe calls decide whether it has
 * recovered. Time comes from the injected clock: the breaker holds no timers.
 */
export class CircuitBreaker {
  readonly name: string;
  private readonly failureThreshold: number;
  private readonly resetTimeoutMs: number;
  private readonly halfOpenMaxCalls: number;
  private readonly isFailure: (error: unknown) => boolean;
  private readonly clock: Clock;
  private readonly listeners = new Set<(change: CircuitStateChange) => void>();

  private current: CircuitState = 'closed';
  // Bumped on every transition: a result from a call admitted under an earlier state must not move the new one
  // (a slow success from before the circuit opened does not close it).
  private epoch = 0;
  private consecutiveFailures = 0;
  private halfOpenInFlight = 0;
  private openedAt: number | undefined;
  private counters = { calls: 0, successes: 0, failures: 0, ignoredErrors: 0, rejected: 0 };

  constructor(options: CircuitBreakerOptions) {
    const { name, failureThreshold, resetTimeoutMs, halfOpenMaxCalls = 1 } = options;
    checkOptions(`circuit breaker "${name}"`, [
      { field: 'name', value: name, ok: typeof name === 'string' && name.length > 0, message: 'must be non-empty' },
      {
        field: 'failureThreshold',
        value: failureThreshold,
        ok: isIntAtLeast(failureThreshold, 1),
        message: 'must be an integer >= 1',
      },
      {
        field: 'resetTimeoutMs',
        value: resetTimeoutMs,
        ok: isFiniteAtLeast(resetTimeoutMs, 0),
        message: 'must be a finite number >= 0',
      },
      {
        field: 'halfOpenMaxCalls',
        value: halfOpenMaxCalls,
        ok: isIntAtLeast(halfOpenMaxCalls, 1),
        message: 'must be an integer >= 1',
      },
    ]);
    this.name = name;
    this.failureThreshold = failureThreshold;
    this.resetTimeoutMs = resetTimeoutMs;
    this.halfOpenMaxCalls = halfOpenMaxCalls;
    this.isFailure = options.isFailure ?? (() => true);
    this.clock = options.clock ?? systemClock;
  }

  get state(): CircuitState {
    return this.current;
  }

  /** Subscribes to transitions; returns the unsubscribe function. */
  onStateChange(listener: (change: CircuitStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async execute<T>(fn: () => Promise<T> | T): Promise<T> {
    const now = this.clock.now();
    if (this.current === 'open') {
      const retryAt = this.retryAt() ?? now;
      if (now < retryAt) {
        this.counters.rejected++;
        throw new CircuitOpenError(this.name, retryAt);
      }
      this.transition('half-open', now);
    }
    const probe = this.current === 'half-open';
    if (probe) {
      if (this.halfOpenInFlight >= this.halfOpenMaxCalls) {
        this.counters.rejected++;
        // A probe is already deciding; its outcome is known no earlier than now.
        throw new CircuitOpenError(this.name, now);
      }
      this.halfOpenInFlight++;
    }
    const epoch = this.epoch;
    this.counters.calls++;
    try {
      const value = await fn();
      this.counters.successes++;
      this.recordHealthy(epoch);
      return value;
    } catch (error) {
      if (this.isFailure(error)) {
        this.counters.failures++;
        this.recordFailure(epoch);
      } else {
        this.counters.ignoredErrors++;
        this.recordHealthy(epoch);
      }
      throw error;
    } finally {
      if (probe) this.halfOpenInFlight--;
    }
  }

  stats(): CircuitBreakerStats {
    return {
      name: this.name,
      state: this.current,
      consecutiveFailures: this.consecutiveFailures,
      ...this.counters,
      halfOpenInFlight: this.halfOpenInFlight,
      openedAt: this.openedAt,
      retryAt: this.retryAt(),
    };
  }

  /** Forces the circuit closed, e.g. after an operator fixed the dependency. */
  reset(): void {
    if (this.current !== 'closed') this.transition('closed', this.clock.now());
    this.consecutiveFailures = 0;
  }

  private retryAt(): number | undefined {
    return this.current === 'open' && this.openedAt !== undefined ? this.openedAt + this.resetTimeoutMs : undefined;
  }

  private recordHealthy(epoch: number): void {
    if (epoch !== this.epoch) return;
    if (this.current === 'half-open') this.transition('closed', this.clock.now());
    this.consecutiveFailures = 0;
  }

  private recordFailure(epoch: number): void {
    if (epoch !== this.epoch) return;
    if (this.current === 'half-open') {
      this.transition('open', this.clock.now());
      return;
    }
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.failureThreshold) this.transition('open', this.clock.now());
  }

  private transition(to: CircuitState, at: number): void {
    const from = this.current;
    this.current = to;
    this.epoch++;
    this.openedAt = to === 'open' ? at : this.openedAt;
    if (to === 'closed') {
      this.openedAt = undefined;
      this.consecutiveFailures = 0;
    }
    const change: CircuitStateChange = { name: this.name, from, to, at };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // A broken listener (metrics, logging) must not turn a healthy call into a failure; make it visible instead.
        process.emitWarning(`circuit "${this.name}" state listener threw: ${String(error)}`, 'CircuitBreakerWarning');
      }
    }
  }
}
