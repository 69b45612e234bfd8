import { resolveRestartPolicy, restartDelayMs } from './restart-policy';

describe('restart policy', () => {
  it('doubles the delay per attempt up to the cap', () => {
    const policy = resolveRestartPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 });
    expect([1, 2, 3, 4, 5, 6].map((attempt) => restartDelayMs(policy, attempt))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('names each invalid field', () => {
    expect(() => resolveRestartPolicy({ maxRestarts: -1, baseDelayMs: 500, maxDelayMs: 100 })).toThrow(
      'restart policy: restart.maxRestarts: must be an integer ≥ 0; restart.maxDelayMs: must be ≥ restart.baseDelayMs',
    );
  });
});
