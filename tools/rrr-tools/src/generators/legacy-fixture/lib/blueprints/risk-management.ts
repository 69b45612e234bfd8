import type { ServiceBlueprint } from '../service-blueprint';

export const riskManagementBlueprint: ServiceBlueprint = {
  folder: 'risk_management',
  title: 'Risk management',
  port: 8003,
  dependsOn: [],
  aliasImport: {
    specifier: '@services/risk_management/sizing/kellySizer',
    name: 'kellyFraction',
    call: 'kellyFraction(0.6, 2)',
  },
  commits: [
    {
      message: 'risk: default limits and pre-trade checks',
      files: {
        'src/limits/default_limits.json':
          JSON.stringify(
            {
              maxPositionPct: 0.2,
              maxOpenPositions: 10,
              dailyLossLimitPct: 0.05,
              dailyLossWarnPct: 0.03,
              maxDrawdownPct: 0.15,
              maxLeverage: 2,
            },
            null,
            2,
          ) + '\n',
        'src/limits/position_limits.ts': `import defaults from './default_limits.json';

export type RiskLimits = typeof defaults;

export const DEFAULT_LIMITS: RiskLimits = { ...defaults };

export function withOverrides(overrides: Partial<RiskLimits>): RiskLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
`,
        'src/checks/pre-trade-checks.ts': `import type { OrderRequest } from '@shared/types';
import { DEFAULT_LIMITS, RiskLimits } from '../limits/position_limits';

export interface PortfolioView {
  equity: number;
  openPositions: number;
  /** Profit and loss since the start of the day, in account currency. */
  dailyPnl: number;
  prices: Record<string, number>;
}

export interface CheckResult {
  approved: boolean;
  violations: string[];
}

export function checkOrder(order: OrderRequest, portfolio: PortfolioView, limits: RiskLimits = DEFAULT_LIMITS): CheckResult {
  const violations: string[] = [];
  const price = order.limitPrice ?? portfolio.prices[order.symbol];
  if (!(order.quantity > 0)) violations.push('quantity must be positive');
  if (price === undefined) violations.push('no price for ' + order.symbol);
  else if (order.quantity * price > limits.maxPositionPct * portfolio.equity) violations.push('position above ' + limits.maxPositionPct * 100 + '% of equity');
  if (order.side === 'buy' && portfolio.openPositions >= limits.maxOpenPositions) violations.push('too many open positions');
  if (portfolio.dailyPnl <= -limits.dailyLossLimitPct * portfolio.equity) violations.push('daily loss limit reached');
  return { approved: violations.length === 0, violations };
}
`,
        'src/index.ts': `export * from './limits/position_limits';
export * from './checks/pre-trade-checks';
`,
      },
    },
    {
      message: 'risk: fractional Kelly sizing',
      files: {
        'src/sizing/kellySizer.ts': `/** Kelly fraction K = W - (1 - W) / R, floored at 0 and capped at 0.30. */
export function kellyFraction(winRate: number, payoffRatio: number): number {
  if (payoffRatio <= 0) return 0;
  const k = winRate - (1 - winRate) / payoffRatio;
  return Math.min(0.3, Math.max(0, k));
}

/** Quarter Kelly, clamped to 1%..20% of equity; no position when the edge is not positive. */
export function positionFraction(winRate: number, payoffRatio: number, fractional = 0.25): number {
  const k = kellyFraction(winRate, payoffRatio);
  if (k === 0) return 0;
  return Math.min(0.2, Math.max(0.01, k * fractional));
}
`,
        'src/index.ts': `export * from './limits/position_limits';
export * from './checks/pre-trade-checks';
export * from './sizing/kellySizer';
`,
      },
    },
    {
      message: 'risk: unit tests',
      files: {
        'tests/kelly_sizer.test.ts': `import { kellyFraction, positionFraction } from '../src/sizing/kellySizer';

describe('Kelly sizing', () => {
  it('computes W - (1 - W) / R, capped at 0.30', () => {
    expect(kellyFraction(0.5, 1.5)).toBeCloseTo(0.5 - 0.5 / 1.5);
    expect(kellyFraction(0.55, 2)).toBe(0.3);
  });

  it('floors a negative edge at zero and takes no position', () => {
    expect(kellyFraction(0.3, 1)).toBe(0);
    expect(positionFraction(0.3, 1)).toBe(0);
  });

  it('clamps quarter Kelly to 1%..20%', () => {
    expect(positionFraction(0.5, 1.5)).toBeCloseTo((0.5 - 0.5 / 1.5) * 0.25);
    expect(positionFraction(0.51, 1)).toBe(0.01);
  });
});
`,
        'tests/pre_trade_checks.test.ts': `import { checkOrder } from '../src/checks/pre-trade-checks';
import { withOverrides } from '../src/limits/position_limits';

const portfolio = { equity: 100_000, openPositions: 2, dailyPnl: 0, prices: { 'BTC-USD': 50_000 } };

describe('checkOrder', () => {
  it('approves an order inside every limit', () => {
    expect(checkOrder({ id: '1', symbol: 'BTC-USD', side: 'buy', quantity: 0.2 }, portfolio)).toEqual({ approved: true, violations: [] });
  });

  it('lists every breached limit', () => {
    const result = checkOrder({ id: '2', symbol: 'BTC-USD', side: 'buy', quantity: 1 }, { ...portfolio, openPositions: 10, dailyPnl: -6_000 });
    expect(result.approved).toBe(false);
    expect(result.violations).toEqual(['position above 20% of equity', 'too many open positions', 'daily loss limit reached']);
  });

  it('honours overridden limits', () => {
    const limits = withOverrides({ maxPositionPct: 0.05 });
    expect(checkOrder({ id: '3', symbol: 'BTC-USD', side: 'sell', quantity: 0.2 }, portfolio, limits).violations).toEqual(['position above 5% of equity']);
  });
});
`,
      },
    },
  ],
};
