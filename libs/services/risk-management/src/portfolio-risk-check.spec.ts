import { checkPortfolioRisk } from './portfolio-risk-check';
import { DEFAULT_RISK_LIMITS } from './risk-limits';

describe('checkPortfolioRisk', () => {
  it('passes VaR95 ≤ 10 % and volatility ≤ 25 %', () => {
    const r = checkPortfolioRisk({ var95: 0.1, volatility: 0.25, drawdown: 0.1 }, DEFAULT_RISK_LIMITS);
    expect(r.ok).toBe(true);
    expect(r.outcomes.map((o) => o.rule)).toEqual(['max-var95', 'max-volatility', 'max-drawdown']);
  });

  it('fails each limit with its value and limit', () => {
    const r = checkPortfolioRisk({ var95: 0.12, volatility: 0.3, drawdown: 0.15 }, DEFAULT_RISK_LIMITS);
    expect(r.ok).toBe(false);
    expect(r.outcomes).toEqual([
      {
        rule: 'max-var95',
        pass: false,
        value: 0.12,
        limit: 0.1,
        reason: '95% VaR 12.00% of equity exceeds the limit 10.00%',
      },
      {
        rule: 'max-volatility',
        pass: false,
        value: 0.3,
        limit: 0.25,
        reason: 'annualised volatility 30.00% exceeds the limit 25.00%',
      },
      {
        rule: 'max-drawdown',
        pass: false,
        value: 0.15,
        limit: 0.15,
        reason: 'drawdown 15.00% reached the limit 15.00%',
      },
    ]);
  });
});
