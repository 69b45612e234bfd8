import { sleep } from './sleep';

function track<T>(promise: Promise<T>): { settled: boolean; value?: T; error?: unknown } {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

describe('sleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves exactly when the time is up, not a millisecond earlier', async () => {
    const slept = track(sleep(250));
    await jest.advanceTimersByTimeAsync(249);
    expect(slept.settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(slept).toEqual({ settled: true, value: undefined });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with the signal reason on abort and leaves no timer behind', async () => {
    const controller = new AbortController();
    const slept = track(sleep(10_000, controller.signal));
    await jest.advanceTimersByTimeAsync(100);
    expect(jest.getTimerCount()).toBe(1);
    const reason = new Error('shutting down');
    controller.abort(reason);
    await jest.advanceTimersByTimeAsync(0);
    expect(slept).toEqual({ settled: true, error: reason });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects at once, without scheduling, when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(sleep(1_000, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('treats a negative duration as zero', async () => {
    const slept = track(sleep(-5));
    await jest.advanceTimersByTimeAsync(0);
    expect(slept.settled).toBe(true);
  });
});
