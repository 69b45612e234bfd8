import { ManualClock } from '@rrr/core';
import { ManualTimers } from '../testing/manual-timers';
import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  it('runs once per interval on the injected timers, and not at all before the first interval', async () => {
    const timers = new ManualTimers(new ManualClock(1_000));
    const runs: number[] = [];
    const task = new PeriodicTask(
      async () => void runs.push(timers.clock.now()),
      500,
      timers,
      () => undefined,
    );
    await task.start();
    expect(runs).toEqual([]);
    await timers.advance(1_600);
    expect(runs).toEqual([1_500, 2_000, 2_500]);
    await task.stop();
    await timers.advance(5_000);
    expect(runs).toHaveLength(3);
    expect(timers.size).toBe(0);
  });

  it('runs immediately when asked and schedules the next run only after the previous one settled', async () => {
    const timers = new ManualTimers();
    let release!: () => void;
    let calls = 0;
    const task = new PeriodicTask(
      () => {
        calls++;
        return calls === 2 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
      },
      100,
      timers,
      () => undefined,
    );
    await task.start({ immediate: true });
    expect(calls).toBe(1);
    expect(timers.dueTimes()).toEqual([100]);
    const advancing = timers.advance(100);
    await Promise.resolve();
    // The second run is still pending: no third run is scheduled behind it.
    expect(calls).toBe(2);
    expect(timers.size).toBe(0);
    release();
    await advancing;
    expect(timers.dueTimes()).toEqual([200]);
    await task.stop();
  });

  it('reports a failing run and keeps going', async () => {
    const timers = new ManualTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const task = new PeriodicTask(
      async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
      },
      10,
      timers,
      (e) => errors.push(e),
    );
    await task.start();
    await timers.advance(20);
    expect(calls).toBe(2);
    expect(errors).toEqual([new Error('boom')]);
    await task.stop();
  });

  it('stop() waits for a run in progress', async () => {
    const timers = new ManualTimers();
    let finished = false;
    let release!: () => void;
    const task = new PeriodicTask(
      async () => {
        await new Promise<void>((resolve) => (release = resolve));
        finished = true;
      },
      10,
      timers,
      () => undefined,
    );
    const starting = task.start({ immediate: true });
    const stopping = task.stop();
    release();
    await Promise.all([starting, stopping]);
    expect(finished).toBe(true);
    expect(timers.size).toBe(0);
  });
});
