import type { ServiceBlueprint } from '../service-blueprint';

export const backtestingBlueprint: ServiceBlueprint = {
  folder: 'backtesting',
  title: 'Backtesting',
  port: 8004,
  dependsOn: ['trading_engine', 'risk_management', 'data_pipeline', 'neural_network'],
  aliasImport: {
    specifier: '@services/backtesting/metrics/performanceMetrics',
    name: 'maxDrawdown',
    call: 'maxDrawdown([1, 2, 1])',
  },
  commits: [
    {
      message: 'backtest: performance metrics',
      files: {
        'src/metrics/performanceMetrics.ts': `import { mean, stddev } from '@shared/math_utils';

export function totalReturn(equity: readonly number[]): number {
  if (equity.length < 2) return 0;
  return equity[equity.length - 1] / equity[0] - 1;
}

/** Largest peak-to-trough fall, as a fraction of the peak. */
export function maxDrawdown(equity: readonly number[]): number {
  let peak = -Infinity;
  let worst = 0;
  for (const value of equity) {
    peak = Math.max(peak, value);
    worst = Math.max(worst, (peak - value) / peak);
  }
  return worst;
}

/** Annualised Sharpe ratio of per-period returns (risk-free rate 0). */
export function sharpeRatio(returns: readonly number[], periodsPerYear = 252): number {
  const s = stddev(returns);
  return s === 0 ? 0 : (mean(returns) / s) * Math.sqrt(periodsPerYear);
}
`,
        'src/index.ts': `export * from './metrics/performanceMetrics';
`,
      },
    },
    {
      message: 'backtest: event loop over bars with the paper exchange',
      files: {
        'src/engine/backtest_engine.ts': `import type { Bar, Fill } from '@shared/types';
import { executeMarket } from '@services/trading_engine/execution/paperExchange';
import { PositionTracker } from '../../../trading_engine/src/portfolio/position-tracker';
import { validateBar } from '../../../../worktrees/data_pipeline/src/validation/bar-validator';
import { positionFraction } from '@services/risk_management/sizing/kellySizer';
import { momentumFeatures } from '@services/neural_network/features/feature_engineering';

/** The predictor module's shape, without importing its code: any version with this export will do. */
export type PredictorModule = typeof import('../../../neural_network/src/models/predictorFinal');
export type BacktestPredictor = InstanceType<PredictorModule['PredictorFinal']>;

export interface BacktestResult {
  fills: Fill[];
  equityCurve: number[];
  rejectedBars: number;
}

/** Long-only: buys a Kelly-sized position on a buy signal when flat, sells everything on a sell signal. */
export function runBacktest(bars: readonly Bar[], predictor: BacktestPredictor, initialCash = 100_000, window = 5): BacktestResult {
  const tracker = new PositionTracker(initialCash);
  const fills: Fill[] = [];
  const equityCurve: number[] = [];
  const seen: Bar[] = [];
  let rejectedBars = 0;
  for (const bar of bars) {
    if (validateBar(bar).length > 0) {
      rejectedBars++;
      continue;
    }
    seen.push(bar);
    const ticker = { symbol: bar.symbol, bid: bar.close, ask: bar.close, time: bar.time };
    const held = tracker.get(bar.symbol)?.quantity ?? 0;
    const signal = seen.length > window ? predictor.predict({ symbol: bar.symbol, time: bar.time, features: momentumFeatures(seen, window) }) : null;
    if (signal?.side === 'buy' && held === 0) {
      const quantity = Math.floor((tracker.cash * positionFraction(0.55, 2)) / bar.close);
      if (quantity > 0) fills.push(executeMarket({ id: 'bt-' + fills.length, symbol: bar.symbol, side: 'buy', quantity }, ticker, bar.time));
    } else if (signal?.side === 'sell' && held > 0) {
      fills.push(executeMarket({ id: 'bt-' + fills.length, symbol: bar.symbol, side: 'sell', quantity: held }, ticker, bar.time));
    }
    if (fills.length > 0 && fills[fills.length - 1].time === bar.time) tracker.apply(fills[fills.length - 1]);
    equityCurve.push(tracker.equity({ [bar.symbol]: bar.close }));
  }
  return { fills, equityCurve, rejectedBars };
}
`,
        'src/index.ts': `export * from './metrics/performanceMetrics';
export * from './engine/backtest_engine';
`,
      },
    },
    {
      message: 'backtest: unit tests',
      files: {
        'tests/performance_metrics.test.ts': `import { maxDrawdown, sharpeRatio, totalReturn } from '../src/metrics/performanceMetrics';

describe('performance metrics', () => {
  it('total return and drawdown of an equity curve', () => {
    const curve = [100, 120, 90, 130];
    expect(totalReturn(curve)).toBeCloseTo(0.3);
    expect(maxDrawdown(curve)).toBeCloseTo(0.25);
  });

  it('Sharpe is zero without variance', () => {
    expect(sharpeRatio([0.01, 0.01, 0.01])).toBe(0);
    expect(sharpeRatio([0.01, 0.03])).toBeCloseTo((0.02 / Math.sqrt(0.0002)) * Math.sqrt(252));
  });
});
`,
        'tests/backtest_engine.test.ts': `import { PredictorFinal } from '../../neural_network/src/models/predictorFinal';
import { runBacktest } from '../src/engine/backtest_engine';

const bar = (i: number, close: number) => ({ symbol: 'BTC-USD', time: i * 86_400_000, open: close, high: close, low: close, close, volume: 10 });

describe('runBacktest', () => {
  it('buys into a rising market and ends richer, skipping invalid bars', () => {
    const bars = Array.from({ length: 30 }, (_, i) => bar(i, 100 * 1.01 ** i));
    bars.splice(10, 0, { ...bar(10, 100), high: -1 });
    const result = runBacktest(bars, new PredictorFinal());
    expect(result.rejectedBars).toBe(1);
    expect(result.fills[0].side).toBe('buy');
    expect(result.equityCurve).toHaveLength(30);
    expect(result.equityCurve[29]).toBeGreaterThan(100_000);
  });

  it('stays in cash when nothing moves', () => {
    const result = runBacktest(Array.from({ length: 20 }, (_, i) => bar(i, 100)), new PredictorFinal());
    expect(result.fills).toEqual([]);
    expect(result.equityCurve[19]).toBe(100_000);
  });
});
`,
      },
    },
  ],
};
