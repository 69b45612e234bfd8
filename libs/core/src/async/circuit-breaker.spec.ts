import { CircuitOpenError, ValidationError } from '../errors';
import { ManualClock } from '../time';
import { CircuitBreaker, type CircuitStateChange } from './circuit-breaker';

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const ok = async (): Promise<string> => 'ok';
const boom = async (): Promise<never> => {
  throw new Error('502 bad gateway');
};

function setup(overrides: Partial<ConstructorParameters<typeof CircuitBreaker>[0]> = {}) {
  const clock = new ManualClock(T0);
  const breaker = new CircuitBreaker({
    name: 'coinbase',
    failureThreshold: 3,
    resetTimeoutMs: 30_000,
    clock,
    ...overrides,
  });
  const changes: string[] = [];
  breaker.onStateChange((c: CircuitStateChange) => changes.push(`${c.from}->${c.to}@${c.at - T0}`));
  return { clock, breaker, changes };
}

async function failTimes(breaker: CircuitBreaker, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await expect(breaker.execute(boom)).rejects.toThrow('502 bad gateway');
}

describe('CircuitBreaker', () => {
  it('opens exactly at the failure threshold, not before', async () => {
    const { breaker, changes } = setup();
    await failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
    expect(breaker.stats().consecutiveFailures).toBe(2);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(changes).toEqual(['closed->open@0']);
  });

  it('counts only consecutive failures: a success in between starts over', async () => {
    const { breaker } = setup();
    await failTimes(breaker, 2);
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    await failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
    expect(breaker.stats().consecutiveFailures).toBe(2);
  });

  it('when open, refuses without calling fn and names the time of the next attempt', async () => {
    const { clock, breaker } = setup();
    await failTimes(breaker, 3);
    clock.advance(10_000);
    const fn = jest.fn(ok);
    const error = await breaker.execute(fn).catch((e: unknown) => e);
    expect(fn).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as CircuitOpenError).code).toBe('CIRCUIT_OPEN');
    expect((error as CircuitOpenError).httpStatus).toBe(503);
    expect((error as CircuitOpenError).details).toEqual({ name: 'coinbase', retryAt: T0 + 30_000 });
    expect((error as CircuitOpenError).message).toContain('2024-01-02T14:30:30.000Z');
  });

  it('lets the first call after resetTimeout through as a probe; its success closes the circuit', async () => {
    const { clock, breaker, changes } = setup();
    await failTimes(breaker, 3);
    clock.advance(29_999);
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    clock.advance(1);
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual(['closed->open@0', 'open->half-open@30000', 'half-open->closed@30000']);
    // Closed again: it takes a full threshold of new failures to reopen.
    await failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
  });

  it('reopens on a failed probe, for a fresh resetTimeout from the probe', async () => {
    const { clock, breaker, changes } = setup();
    await failTimes(breaker, 3);
    clock.advance(30_000);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(breaker.stats().retryAt).toBe(T0 + 60_000);
    clock.advance(29_999);
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    clock.advance(1);
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(changes).toEqual([
      'closed->open@0',
      'open->half-open@30000',
      'half-open->open@30000',
      'open->half-open@60000',
      'half-open->closed@60000',
    ]);
  });

  it('allows halfOpenMaxCalls probes in flight and refuses the rest', async () => {
    const { clock, breaker } = setup({ halfOpenMaxCalls: 2 });
    await failTimes(breaker, 3);
    clock.advance(30_000);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const probe1 = breaker.execute(() => gate.then(() => 1));
    const probe2 = breaker.execute(() => gate.then(() => 2));
    const third = breaker.execute(ok).catch((e: unknown) => e);
    expect(await third).toBeInstanceOf(CircuitOpenError);
    expect(breaker.stats().halfOpenInFlight).toBe(2);
    release();
    await expect(Promise.all([probe1, probe2])).resolves.toEqual([1, 2]);
    expect(breaker.state).toBe('closed');
    expect(breaker.stats().halfOpenInFlight).toBe(0);
  });

  it('with the default of one probe, a second call during the probe is refused', async () => {
    const { clock, breaker } = setup();
    await failTimes(breaker, 3);
    clock.advance(30_000);
    let release!: () => void;
    const probe = breaker.execute(() => new Promise<string>((resolve) => (release = () => resolve('probe'))));
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    await expect(probe).resolves.toBe('probe');
    await expect(breaker.execute(ok)).resolves.toBe('ok');
  });

  it('passes errors that isFailure rules out (4xx) to the caller without counting them', async () => {
    const notFound = Object.assign(new Error('404 unknown symbol'), { status: 404 });
    const { breaker } = setup({ isFailure: (e) => ((e as { status?: number }).status ?? 500) >= 500 });
    await failTimes(breaker, 2);
    for (let i = 0; i < 5; i++) {
      await expect(
        breaker.execute(async () => {
          throw notFound;
        }),
      ).rejects.toBe(notFound);
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.stats()).toMatchObject({ consecutiveFailures: 0, failures: 2, ignoredErrors: 5 });
  });

  it('ignores a slow result from a call admitted before the circuit opened', async () => {
    const { breaker } = setup();
    let finishSlow!: () => void;
    const slow = breaker.execute(() => new Promise<string>((resolve) => (finishSlow = () => resolve('late'))));
    await failTimes(breaker, 3);
    expect(breaker.state).toBe('open');
    finishSlow();
    await expect(slow).resolves.toBe('late');
    expect(breaker.state).toBe('open');
  });

  it('reports exact counters', async () => {
    const { clock, breaker } = setup();
    await breaker.execute(ok);
    await failTimes(breaker, 3);
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    clock.advance(5_000);
    expect(breaker.stats()).toEqual({
      name: 'coinbase',
      state: 'open',
      consecutiveFailures: 3,
      calls: 4,
      successes: 1,
      failures: 3,
      ignoredErrors: 0,
      rejected: 2,
      halfOpenInFlight: 0,
      openedAt: T0,
      retryAt: T0 + 30_000,
    });
  });

  it('survives a throwing listener, and stops notifying after unsubscribe', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const { breaker } = setup({ failureThreshold: 1 });
      const unsubscribe = breaker.onStateChange(() => {
        throw new Error('metrics exporter down');
      });
      await failTimes(breaker, 1);
      expect(breaker.state).toBe('open');
      expect(warn).toHaveBeenCalledWith(
        'circuit "coinbase" state listener threw: Error: metrics exporter down',
        'CircuitBreakerWarning',
      );
      unsubscribe();
      breaker.reset();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(breaker.state).toBe('closed');
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses invalid options, naming each', () => {
    expect(() => new CircuitBreaker({ name: 'x', failureThreshold: 0, resetTimeoutMs: -1 })).toThrow(ValidationError);
    expect(
      () => new CircuitBreaker({ name: 'x', failureThreshold: 1, resetTimeoutMs: 1, halfOpenMaxCalls: 0 }),
    ).toThrow('halfOpenMaxCalls: must be an integer >= 1');
  });
});
