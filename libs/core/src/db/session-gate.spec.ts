import { setTimeout as sleep } from 'node:timers/promises';
import { SessionGate } from './session-gate';

describe('SessionGate', () => {
  it('runs shared work synchronously while the gate is free', async () => {
    const gate = new SessionGate();
    const order: string[] = [];
    const done = gate.shared(() => order.push('shared'));
    order.push('after call');
    await done;
    expect(order).toEqual(['shared', 'after call']);
  });

  it('runs exclusive holders one at a time, first come first served, with shared work queued behind them', async () => {
    const gate = new SessionGate();
    const order: string[] = [];
    const hold = (name: string, ms: number) =>
      gate.exclusive(async () => {
        order.push(`${name}>`);
        await sleep(ms);
        order.push(`<${name}`);
      });
    await Promise.all([hold('a', 15), hold('b', 1), gate.shared(() => order.push('shared')), hold('c', 1)]);
    expect(order).toEqual(['a>', '<a', 'b>', '<b', 'shared', 'c>', '<c']);
    expect(gate.isFree).toBe(true);
  });

  it('releases the gate when a holder throws', async () => {
    const gate = new SessionGate();
    await expect(gate.exclusive(() => Promise.reject(new Error('nope')))).rejects.toThrow('nope');
    expect(gate.isFree).toBe(true);
    await expect(gate.exclusive(() => 'next')).resolves.toBe('next');
  });

  it('rejects a holder calling back into its own gate, which would otherwise wait forever', async () => {
    const gate = new SessionGate();
    await expect(gate.exclusive(() => gate.shared(() => 1))).rejects.toThrow('use the transaction handle');
    // Other callers merely wait for the holder.
    let release!: () => void;
    const holding = gate.exclusive(() => new Promise<void>((resolve) => (release = resolve)));
    const waiting = gate.shared(() => 'ran after');
    await sleep(1);
    release();
    await holding;
    await expect(waiting).resolves.toBe('ran after');
  });

  it('drain waits for the holders queued so far', async () => {
    const gate = new SessionGate();
    let finished = false;
    void gate.exclusive(async () => {
      await sleep(10);
      finished = true;
    });
    await gate.drain();
    expect(finished).toBe(true);
  });
});
