import { ConflictError, RrrError, ValidationError } from '../errors';
import { ResourcePool, type ResourcePoolOptions } from './resource-pool';

interface Conn {
  id: number;
  healthy: boolean;
}

/** A pool of fake connections that records what it created and destroyed. */
function connections(overrides: Partial<ResourcePoolOptions<Conn>> = {}) {
  let next = 0;
  const destroyedIds: number[] = [];
  const pool = new ResourcePool<Conn>({
    name: 'pg',
    create: async () => ({ id: ++next, healthy: true }),
    destroy: async (conn) => void destroyedIds.push(conn.id),
    min: 0,
    max: 2,
    acquireTimeoutMs: 5_000,
    ...overrides,
  });
  return { pool, destroyedIds };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ResourcePool', () => {
  it('creates min resources on start()', async () => {
    const { pool } = connections({ min: 2, max: 4 });
    expect(pool.stats().size).toBe(0);
    await pool.start();
    expect(pool.stats()).toEqual({ size: 2, available: 2, borrowed: 0, pending: 0, created: 2, destroyed: 0 });
    await pool.drain();
  });

  it('reuses released resources and creates new ones only up to max', async () => {
    const { pool } = connections({ max: 2 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    expect([a.id, b.id]).toEqual([1, 2]);
    pool.release(a);
    const c = await pool.acquire();
    expect(c).toBe(a);
    expect(pool.stats()).toEqual({ size: 2, available: 0, borrowed: 2, pending: 0, created: 2, destroyed: 0 });
    pool.release(b);
    pool.release(c);
    await pool.drain();
  });

  it('serves waiters first in, first out', async () => {
    const { pool } = connections({ max: 1 });
    const held = await pool.acquire();
    const served: string[] = [];
    const got = new Map<string, Conn>();
    for (const name of ['w1', 'w2', 'w3']) {
      void pool.acquire().then((conn) => {
        served.push(name);
        got.set(name, conn);
      });
    }
    await settle();
    expect(pool.stats().pending).toBe(3);
    pool.release(held);
    await settle();
    expect(served).toEqual(['w1']);
    pool.release(got.get('w1') as Conn);
    await settle();
    pool.release(got.get('w2') as Conn);
    await settle();
    expect(served).toEqual(['w1', 'w2', 'w3']);
    expect(pool.stats()).toEqual({ size: 1, available: 0, borrowed: 1, pending: 0, created: 1, destroyed: 0 });
    pool.release(got.get('w3') as Conn);
    await pool.drain();
  });

  describe('with fake timers', () => {
    beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
    afterEach(() => jest.useRealTimers());

    it('fails an acquire that waited acquireTimeoutMs with POOL_EXHAUSTED and the pool stats', async () => {
      const { pool } = connections({ max: 1, acquireTimeoutMs: 2_000 });
      const held = await pool.acquire();
      let outcome: unknown;
      void pool.acquire().catch((e: unknown) => (outcome = e));
      await jest.advanceTimersByTimeAsync(1_999);
      expect(outcome).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      expect(outcome).toBeInstanceOf(RrrError);
      const error = outcome as RrrError;
      expect(error.code).toBe('POOL_EXHAUSTED');
      expect(error.httpStatus).toBe(503);
      expect(error.message).toBe('pool "pg": no resource available within 2000 ms (1 borrowed of max 1, 1 waiting)');
      expect(error.details).toEqual({
        name: 'pg',
        acquireTimeoutMs: 2_000,
        size: 1,
        available: 0,
        borrowed: 1,
        pending: 1,
        created: 1,
        destroyed: 0,
      });
      expect(pool.stats().pending).toBe(0);
      // The timed-out waiter does not take the next released resource.
      pool.release(held);
      expect(pool.stats().available).toBe(1);
      await pool.drain();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('destroys idle resources above min after idleTimeoutMs, oldest first', async () => {
      const { pool, destroyedIds } = connections({ min: 1, max: 3, idleTimeoutMs: 1_000 });
      await pool.start();
      const [a, b, c] = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
      pool.release(a);
      await jest.advanceTimersByTimeAsync(500);
      pool.release(b);
      pool.release(c);
      await jest.advanceTimersByTimeAsync(499);
      expect(pool.stats().available).toBe(3);
      await jest.advanceTimersByTimeAsync(1);
      expect(destroyedIds).toEqual([a.id]);
      await jest.advanceTimersByTimeAsync(500);
      // b is gone too; c stays as the min.
      expect(destroyedIds).toEqual([a.id, b.id]);
      expect(pool.stats()).toEqual({ size: 1, available: 1, borrowed: 0, pending: 0, created: 3, destroyed: 2 });
      await jest.advanceTimersByTimeAsync(10_000);
      expect(pool.stats().size).toBe(1);
      await pool.drain();
    });
  });

  it('destroys a resource that fails validation and hands out a fresh one instead', async () => {
    const { pool, destroyedIds } = connections({ max: 2, validate: (conn) => conn.healthy });
    const first = await pool.acquire();
    first.healthy = false; // e.g. the server closed the connection while it sat idle
    pool.release(first);
    const next = await pool.acquire();
    expect(next.id).toBe(2);
    expect(destroyedIds).toEqual([1]);
    expect(pool.stats()).toEqual({ size: 1, available: 0, borrowed: 1, pending: 0, created: 2, destroyed: 1 });
    pool.release(next);
    await pool.drain();
  });

  it('treats a validator that throws as a failed validation and reports the error', async () => {
    const onError = jest.fn();
    const { pool, destroyedIds } = connections({
      validate: (conn) => {
        if (conn.id === 1) throw new Error('ping failed');
        return true;
      },
      onError,
    });
    const first = await pool.acquire();
    pool.release(first);
    const second = await pool.acquire();
    expect(second.id).toBe(2);
    expect(destroyedIds).toEqual([1]);
    expect(onError).toHaveBeenCalledWith(new Error('ping failed'), 'validate');
    pool.release(second);
    await pool.drain();
  });

  it('refuses to take back what it did not lend, or the same resource twice', async () => {
    const { pool } = connections();
    const conn = await pool.acquire();
    pool.release(conn);
    expect(() => pool.release(conn)).toThrow(ConflictError);
    expect(() => pool.release({ id: 99, healthy: true })).toThrow(
      'pool "pg": released a resource that is not borrowed from it',
    );
    await pool.drain();
  });

  it('destroys a discarded resource and tops the pool back up to min', async () => {
    const { pool, destroyedIds } = connections({ min: 1, max: 2 });
    await pool.start();
    const conn = await pool.acquire();
    pool.discard(conn);
    await settle();
    expect(destroyedIds).toEqual([1]);
    expect(pool.stats()).toEqual({ size: 1, available: 1, borrowed: 0, pending: 0, created: 2, destroyed: 1 });
    await pool.drain();
  });

  it('use() releases the resource whether fn succeeds or throws', async () => {
    const { pool } = connections({ max: 1 });
    await expect(pool.use(async (conn) => `query on ${conn.id}`)).resolves.toBe('query on 1');
    await expect(
      pool.use(async () => {
        throw new Error('syntax error');
      }),
    ).rejects.toThrow('syntax error');
    expect(pool.stats()).toMatchObject({ borrowed: 0, available: 1 });
    await pool.drain();
  });

  it('rejects the waiter whose creation failed, and creates again on the next acquire', async () => {
    let attempts = 0;
    const pool = new ResourcePool<{ n: number }>({
      create: async () => {
        attempts++;
        if (attempts === 1) throw new Error('ECONNREFUSED 127.0.0.1:5432');
        return { n: attempts };
      },
      destroy: () => undefined,
      min: 0,
      max: 1,
      acquireTimeoutMs: 5_000,
    });
    await expect(pool.acquire()).rejects.toThrow('ECONNREFUSED');
    expect(pool.stats()).toMatchObject({ size: 0, created: 0 });
    const conn = await pool.acquire();
    expect(conn.n).toBe(2);
    pool.release(conn);
    await pool.drain();
  });

  it('reports which minimum resources could not be created on start()', async () => {
    let n = 0;
    const pool = new ResourcePool<{ n: number }>({
      name: 'nats',
      create: async () => {
        n++;
        if (n === 2) throw new Error('connect timeout');
        return { n };
      },
      destroy: () => undefined,
      min: 3,
      max: 3,
      acquireTimeoutMs: 1_000,
    });
    const error = (await pool.start().catch((e: unknown) => e)) as RrrError;
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.message).toBe('pool "nats": could not create 1 of 3 minimum resources: Error: connect timeout');
    expect(pool.stats()).toMatchObject({ size: 2, available: 2 });
    await pool.drain();
  });

  it('gives up waiting when the acquire signal aborts', async () => {
    const { pool } = connections({ max: 1 });
    const held = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    await settle();
    controller.abort(new Error('request cancelled'));
    await expect(waiting).rejects.toThrow('request cancelled');
    expect(pool.stats().pending).toBe(0);
    pool.release(held);
    await pool.drain();
  });

  it('drain() fails the waiters and destroys borrowed resources as they come back, then resolves', async () => {
    const { pool, destroyedIds } = connections({ max: 2 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    const waiter = pool.acquire().catch((e: unknown) => e);
    await settle();

    let drained = false;
    const draining = pool.drain().then(() => (drained = true));
    const refused = (await waiter) as RrrError;
    expect(refused.code).toBe('SERVICE_UNAVAILABLE');
    expect(refused.message).toBe('pool "pg" is draining');
    expect(destroyedIds).toEqual([]);

    pool.release(b);
    await settle();
    expect(destroyedIds).toEqual([b.id]);
    expect(drained).toBe(false);
    pool.release(a);
    await draining;
    expect(destroyedIds).toEqual([b.id, a.id]);
    expect(pool.stats()).toEqual({ size: 0, available: 0, borrowed: 0, pending: 0, created: 2, destroyed: 2 });
    await expect(pool.acquire()).rejects.toThrow('pool "pg" is draining');
  });

  it('drain() destroys idle resources at once', async () => {
    const { pool, destroyedIds } = connections({ min: 2, max: 2 });
    await pool.start();
    await pool.drain();
    expect(destroyedIds).toEqual([1, 2]);
  });

  it('refuses invalid options, naming each', () => {
    const create = async (): Promise<Conn> => ({ id: 1, healthy: true });
    const error = (() => {
      try {
        return new ResourcePool<Conn>({ create, destroy: () => undefined, min: 3, max: 2, acquireTimeoutMs: -1 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.field)).toEqual(['max', 'acquireTimeoutMs']);
  });
});
