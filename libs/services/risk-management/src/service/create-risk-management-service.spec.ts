import {
  InProcessEventBus,
  ManualClock,
  openDatabase,
  type Bar,
  type Database,
  type OrderRequest,
  type RiskAlert,
} from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KillSwitchAction } from '../kill-switch';
import type { RiskSnapshot } from '../risk-snapshot';
import { historicalVar, parametricVar } from '../value-at-risk';
import {
  createRiskManagementService,
  type KillSwitchExecutor,
  type RiskManagementService,
} from './create-risk-management-service';

const NOON = Date.UTC(2026, 10, 25, 12, 0, 0);

function bar(symbol: string, close: number, ts: number): Bar {
  return { symbol, interval: '1m', ts, open: close, high: close, low: close, close, volume: 1 };
}

const buy: OrderRequest = { symbol: 'BTC-USD', side: 'buy', type: 'market', quantity: 0.01 };

describe('createRiskManagementService', () => {
  let dir: string;
  let db: Database;
  let bus: InProcessEventBus;
  let clock: ManualClock;
  let service: RiskManagementService;
  let published: RiskAlert[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-risk-service-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    bus = new InProcessEventBus();
    clock = new ManualClock(NOON);
    published = [];
    await bus.subscribe('risk.alert', (alert) => {
      published.push(alert);
    });
  });

  afterEach(async () => {
    await service?.stop();
    await bus.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function create(): RiskManagementService {
    service = createRiskManagementService(
      { db, bus, clock },
      { symbols: ['BTC-USD', 'ETH-USD'], initialCash: 100_000 },
    );
    return service;
  }

  /** The book as the engine would hand it to pre-trade risk. */
  function snapshotAt(mark: number, quantity: number): RiskSnapshot {
    const equity = service.usage().equity;
    return {
      equity,
      cash: equity - quantity * mark,
      positions: quantity === 0 ? [] : [{ symbol: 'BTC-USD', quantity }],
      marks: { 'BTC-USD': mark },
      openOrders: [],
      now: clock.now(),
    };
  }

  async function position(quantity: number, averagePrice: number, feesPaid: number): Promise<void> {
    await bus.publish('position', {
      symbol: 'BTC-USD',
      quantity,
      averagePrice,
      realizedPnl: 0,
      feesPaid,
      openedAt: clock.now(),
      updatedAt: clock.now(),
    } as never);
    await service.evaluate();
  }

  async function markAt(close: number): Promise<void> {
    await bus.publish('bar', bar('BTC-USD', close, clock.now() - 60_000));
    await service.evaluate();
  }

  it('warns at the 3 % daily loss, halts at the 5 % limit, goes CRITICAL above 1.5 × the limit, and resumes once the loss recovers', async () => {
    await create().start();
    await position(0.3, 50_000, 15);
    await markAt(50_000);
    expect(service.usage().equity).toBeCloseTo(99_985, 6);
    expect(published).toEqual([]);

    // 100,000 → 96,985: a 3.015 % loss of the day's start equity.
    await markAt(40_000);
    expect(published).toEqual([
      expect.objectContaining({ rule: 'daily-loss-limit', severity: 'warning', limit: 0.05 }),
    ]);
    expect(published[0].value).toBeCloseTo(0.03015, 9);
    expect(service.preTradeCheck.evaluate(buy, snapshotAt(40_000, 0.3)).approved).toBe(true);

    // 93,985: 6.015 % — the breaker halts; the measurement's own warning is inside its cooldown.
    await markAt(30_000);
    expect(published.slice(1)).toEqual([
      expect.objectContaining({ rule: 'daily-loss-limit', severity: 'critical', limit: 0.05 }),
    ]);
    expect(published[1].message).toMatch(
      /^circuit-breaker\.halted: circuit breaker halted: daily-loss-limit loss 6\.02%/,
    );
    const halted = service.circuitBreaker();
    expect(halted).toMatchObject({
      state: 'halted',
      rule: 'daily-loss-limit',
      since: NOON,
      resetAt: Date.UTC(2026, 10, 26),
      limit: 0.05,
    });
    expect(halted.reason).toContain('trading halted by daily-loss-limit');
    const verdict = service.preTradeCheck.evaluate(buy, snapshotAt(30_000, 0.3));
    expect(verdict.approved).toBe(false);
    expect(verdict.rejection?.code).toBe('RISK_REJECTED');
    expect((verdict.rejection?.details as { rule: string }).rule).toBe('circuit-breaker');
    // Cutting the position stays possible.
    const cut: OrderRequest = { symbol: 'BTC-USD', side: 'sell', type: 'market', quantity: 0.1 };
    expect(service.preTradeCheck.evaluate(cut, snapshotAt(30_000, 0.3)).approved).toBe(true);

    // 92,185: 7.815 % > 1.5 × 5 % — the escalation goes out at once despite the cooldown.
    await markAt(24_000);
    expect(published.slice(2)).toEqual([
      expect.objectContaining({
        rule: 'daily-loss-limit',
        severity: 'critical',
        message: expect.stringContaining('is above 1.5× the limit'),
      }),
    ]);

    await expect(service.resume('alice')).rejects.toMatchObject({ code: 'CONFLICT' });
    await markAt(45_000);
    const resumed = await service.resume('alice', 'loss recovered');
    expect(resumed).toEqual({ state: 'armed', killSwitch: expect.objectContaining({ engaged: false }) });
    expect(published[published.length - 1]).toMatchObject({ rule: 'daily-loss-limit', severity: 'info' });
    expect(published[published.length - 1].message).toContain('circuit breaker resumed by alice');
    expect(service.preTradeCheck.evaluate(buy, snapshotAt(45_000, 0.3)).approved).toBe(true);

    // Every alert published is stored; the history reads newest first.
    const stored = await service.alerts(50);
    expect(stored).toEqual([...published].reverse());
  });

  it('lifts a daily halt by itself at the configured reset time', async () => {
    await create().start();
    await position(0.3, 50_000, 15);
    await markAt(30_000);
    expect(service.circuitBreaker().state).toBe('halted');
    clock.set(Date.UTC(2026, 10, 26, 0, 0, 1));
    await service.evaluate();
    expect(service.circuitBreaker().state).toBe('armed');
    expect(published.map((a) => a.message.split(':')[0])).toContain('circuit-breaker.reset');
  });

  it('engages the kill switch through the attached executor: cancels, flattens and blocks new exposure until released', async () => {
    await create().start();
    await expect(service.engageKillSwitch({ reason: 'drill', by: 'ops' })).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    const executed: KillSwitchAction[] = [];
    const executor: KillSwitchExecutor = {
      book: () => ({
        positions: [{ symbol: 'BTC-USD', quantity: 0.3 }],
        openOrders: [
          { id: 'O-1', clientOrderId: 'c-1', symbol: 'ETH-USD', side: 'buy', quantity: 1, status: 'accepted' },
          { id: 'O-2', clientOrderId: 'c-2', symbol: 'BTC-USD', side: 'buy', quantity: 1, status: 'filled' },
        ],
      }),
      execute: async (actions) => {
        executed.push(...actions);
        return { done: actions.length, failed: [] };
      },
    };
    service.attachKillSwitchExecutor(executor);
    const outcome = await service.engageKillSwitch({ reason: 'drill', by: 'ops', flatten: true });
    expect(outcome).toMatchObject({
      killSwitch: { engaged: true, by: 'ops', reason: 'drill', flatten: true, engagedAt: NOON },
      cancels: 1,
      flattenOrders: 1,
      done: 2,
      failed: [],
    });
    expect(executed).toEqual([
      { kind: 'cancel-order', orderId: 'O-1', clientOrderId: 'c-1', symbol: 'ETH-USD' },
      {
        kind: 'submit-order',
        order: expect.objectContaining({
          symbol: 'BTC-USD',
          side: 'sell',
          type: 'market',
          quantity: 0.3,
          reduceOnly: true,
        }),
      },
    ]);
    expect(published).toEqual([expect.objectContaining({ rule: 'kill-switch', severity: 'critical' })]);
    const blocked = service.preTradeCheck.evaluate(buy, snapshotAt(50_000, 0));
    expect((blocked.rejection?.details as { rule: string }).rule).toBe('kill-switch');

    await service.releaseKillSwitch('ops');
    expect(service.preTradeCheck.evaluate(buy, snapshotAt(50_000, 0)).approved).toBe(true);
    expect(published[1]).toMatchObject({ rule: 'kill-switch', severity: 'info' });
  });

  it('keeps an engaged kill switch engaged across a restart, and a released one released', async () => {
    await create().start();
    service.attachKillSwitchExecutor({
      book: () => ({ positions: [], openOrders: [] }),
      execute: async () => ({ done: 0, failed: [] }),
    });
    await service.engageKillSwitch({ reason: 'exchange incident', by: 'ops' });
    await service.stop();

    await create().start();
    expect(service.circuitBreaker().killSwitch).toEqual({
      engaged: true,
      engagedAt: NOON,
      by: 'ops',
      reason: 'exchange incident',
      flatten: false,
    });
    const blocked = service.preTradeCheck.evaluate(buy, snapshotAt(50_000, 0));
    expect((blocked.rejection?.details as { rule: string }).rule).toBe('kill-switch');
    expect((await service.health()).status).toBe('degraded');
    // Only the engagement was announced; the restart itself raised nothing.
    expect(published.filter((a) => a.rule === 'kill-switch')).toHaveLength(1);

    clock.advance(60_000);
    await service.releaseKillSwitch('ops');
    await service.stop();
    await create().start();
    expect(service.circuitBreaker().killSwitch.engaged).toBe(false);
    expect(service.preTradeCheck.evaluate(buy, snapshotAt(50_000, 0)).approved).toBe(true);
  });

  it('restores the book from the stored positions and equity history, and estimates VaR / CVaR over its returns', async () => {
    const equities = [100_000, 101_000, 99_500, 100_200, 98_900, 99_800, 100_400, 99_100];
    for (const [i, equity] of equities.entries()) {
      await db.execute('INSERT INTO portfolio_snapshots (ts, cash, equity, positions_value) VALUES (?, ?, ?, ?)', [
        NOON - (equities.length - i) * 60_000,
        equity,
        equity,
        0,
      ]);
    }
    await db.execute(
      'INSERT INTO positions (symbol, quantity, average_entry_price, realized_pnl, fees_paid, mark_price, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ['BTC-USD', 0.2, 50_000, 500, 40, 49_000, NOON - 3_600_000, NOON - 60_000],
    );
    await create().start();
    // 100,000 + 500 − 40 + 0.2 × (49,000 − 50,000)
    const equity = 100_260;
    expect(service.usage()).toMatchObject({
      equity,
      items: expect.arrayContaining([
        expect.objectContaining({ rule: 'max-position', symbol: 'BTC-USD', value: (0.2 * 49_000) / equity }),
        expect.objectContaining({ rule: 'max-open-positions', value: 1, limit: 10, utilisation: 0.1 }),
      ]),
    });

    // The start point (NOON, 100,260) is one sample after the stored ones.
    const series = [...equities, equity];
    const returns = series.slice(1).map((e, i) => e / series[i] - 1);
    const historical = service.valueAtRisk({ confidence: 0.95, method: 'historical' });
    const [expected] = historicalVar(returns, [0.95]);
    expect(historical).toMatchObject({
      method: 'historical',
      observations: returns.length,
      var: expected.var,
      cvar: expected.cvar,
    });
    expect(historical.varAmount).toBeCloseTo(expected.var * equity, 6);
    expect(service.valueAtRisk({ confidence: 0.99, method: 'parametric' }).var).toBeCloseTo(
      parametricVar(returns, [0.99])[0].var,
      12,
    );
    const mc = service.valueAtRisk({ confidence: 0.95, method: 'monte-carlo' });
    expect(mc.var).toBe(service.valueAtRisk({ confidence: 0.95, method: 'monte-carlo' }).var);
    expect(mc.cvar as number).toBeGreaterThanOrEqual(mc.var as number);
    expect(() => service.valueAtRisk({ confidence: 1.5 })).toThrow(/confidence: must be a probability/);
  });

  it('has no VaR estimate before the history holds two returns', async () => {
    await create().start();
    expect(service.valueAtRisk({})).toMatchObject({ var: null, cvar: null, observations: 0, equity: 100_000 });
  });
});
