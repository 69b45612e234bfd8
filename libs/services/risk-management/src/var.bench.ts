// VaR/CVaR on 1,000 days × 50 assets (historical, parametric, Monte Carlo 10k) and pre-trade evaluation
// throughput with 10 positions. Run with `npm run bench -- risk-management`.
import { validateOrderRequest, type OrderRequest } from '@rrr/core';
import { Bench, type Task } from 'tinybench';
import { PreTradeRiskEngine } from './pre-trade-risk-engine';
import { portfolioReturns } from './return-series';
import type { RiskSnapshot } from './risk-snapshot';
import { createSeededRng } from './seeded-rng';
import { historicalVar, monteCarloVar, parametricVar, portfolioVar } from './value-at-risk';

const DAYS = 1_000;
const ASSETS = 50;
const SCENARIOS = 10_000;
/** A full VaR report must fit comfortably between two 1-minute bars, several times over. */
const VAR_REPORT_TARGET_MS = 250;
/** The order round-trip target is 20k orders/s; risk may take at most a tenth of that budget. */
const PRE_TRADE_TARGET_PER_S = 200_000;
const BATCH = 1_000;

/** Three-factor model: correlated, fat-enough daily returns for 50 assets, from a fixed seed. */
function syntheticReturns(): number[][] {
  const rng = createSeededRng(2024);
  const loadings = Array.from({ length: ASSETS }, () => [0.5 + rng.next(), rng.next() - 0.5, rng.next() - 0.5]);
  const returns = Array.from({ length: ASSETS }, () => new Array<number>(DAYS));
  for (let t = 0; t < DAYS; t += 1) {
    const f = [rng.normal(), rng.normal(), rng.normal()];
    for (let i = 0; i < ASSETS; i += 1) {
      const [a, b, c] = loadings[i];
      returns[i][t] = 0.0003 + 0.01 * (a * f[0] + b * f[1] + c * f[2]) + 0.012 * rng.normal();
    }
  }
  return returns;
}

const returns = syntheticReturns();
const weights = Array.from({ length: ASSETS }, () => 1 / ASSETS);

const symbols = [
  'BTC-USD',
  'ETH-USD',
  'SOL-USD',
  'AAPL',
  'MSFT',
  'NVDA',
  'SPX',
  'ETH/USDT',
  'BTC/USDT',
  'AMZN',
  'TSLA',
];
const marks: Record<string, number> = Object.fromEntries(symbols.map((s, i) => [s, 10 + 37 * i]));
const now = Date.parse('2024-03-13T15:00:00Z');
const snapshot: RiskSnapshot = {
  equity: 1_000_000,
  cash: 400_000,
  positions: symbols
    .slice(0, 10)
    .map((symbol, i) => ({ symbol, quantity: ((i % 2 === 0 ? 1 : -1) * 5_000) / marks[symbol] })),
  marks,
  openOrders: [
    { id: 'w1', symbol: 'BTC-USD', side: 'buy', quantity: 10, status: 'accepted' },
    { id: 'w2', symbol: 'AAPL', side: 'sell', quantity: 5, status: 'partially-filled', filledQuantity: 2 },
    { id: 'w3', symbol: 'MSFT', side: 'sell', quantity: 3, status: 'accepted', reduceOnly: true },
  ],
  now,
  equityHistory: Array.from({ length: 60 }, (_, i) => ({
    ts: now - (60 - i) * 86_400_000,
    equity: 1_000_000 + 1_000 * Math.sin(i),
  })),
};
// Orders that pass every rule (the path inside the order round trip) and orders that fail one.
const approved: OrderRequest[] = [
  { symbol: 'BTC-USD', side: 'buy', type: 'market', quantity: 5 },
  { symbol: 'ETH-USD', side: 'sell', type: 'limit', quantity: 2, price: 40 },
  { symbol: 'AAPL', side: 'buy', type: 'market', quantity: 10 },
  { symbol: 'MSFT', side: 'buy', type: 'market', quantity: 1 },
];
const rejected: OrderRequest[] = [
  { symbol: 'TSLA', side: 'sell', type: 'market', quantity: 100 }, // an 11th position
  { symbol: 'AAPL', side: 'buy', type: 'market', quantity: 1e5 }, // beyond max position
  { symbol: 'TSLA', side: 'buy', type: 'market', quantity: 1 },
  { symbol: 'NVDA', side: 'buy', type: 'market', quantity: 1e5 },
];
const engine = new PreTradeRiskEngine({ knownSymbols: symbols });
let sink = 0;

const bench = new Bench({ time: 1_500, warmupTime: 300 });
bench
  .add('historical VaR/CVaR (95, 99)', () => {
    sink += historicalVar(portfolioReturns(returns, weights))[0].var;
  })
  .add('parametric VaR/CVaR (95, 99)', () => {
    sink += parametricVar(portfolioReturns(returns, weights))[0].var;
  })
  .add(`Monte Carlo VaR/CVaR, ${SCENARIOS / 1000}k scenarios`, () => {
    sink += monteCarloVar(returns, weights, { seed: 7, scenarios: SCENARIOS }).estimates[0].var;
  })
  .add('full report (3 methods × 2 levels)', () => {
    sink += portfolioVar({ returns, weights }, { seed: 7, scenarios: SCENARIOS }).historical.estimates[0].var;
  })
  .add('pre-trade evaluate, approved (1 call)', () => {
    sink += engine.evaluate(approved[sink & 3], snapshot).verdicts.length;
  })
  .add(`pre-trade evaluate, approved (batch of ${BATCH})`, () => {
    for (let i = 0; i < BATCH; i += 1) sink += engine.evaluate(approved[i & 3], snapshot).verdicts.length;
  })
  .add(`pre-trade evaluate, rejected (batch of ${BATCH})`, () => {
    for (let i = 0; i < BATCH; i += 1) sink += engine.evaluate(rejected[i & 3], snapshot).verdicts.length;
  })
  .add(`order validation only (batch of ${BATCH})`, () => {
    for (let i = 0; i < BATCH; i += 1) sink += validateOrderRequest(approved[i & 3]).length;
  });

async function main(): Promise<void> {
  await bench.run();
  const stats = (task: Task | undefined) => {
    const r = task?.result;
    if (!r || (r.state !== 'completed' && r.state !== 'aborted-with-statistics')) {
      throw new Error(`benchmark task ${task?.name} did not complete: ${JSON.stringify(r)}`);
    }
    return r;
  };
  const byName = (prefix: string) => stats(bench.tasks.find((t) => t.name.startsWith(prefix)));
  const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(4));

  const rows = bench.tasks.map((t) => {
    const r = stats(t);
    return `| ${t.name} | ${ms(r.latency.mean)} | ${ms(r.latency.p50)} | ${ms(r.latency.p99)} | ${r.latency.samplesCount} |`;
  });
  const mc = byName('Monte Carlo');
  const parametric = byName('parametric');
  const report = byName('full report');
  const single = byName('pre-trade evaluate, approved (1');
  const batch = byName('pre-trade evaluate, approved (batch');
  const rejectedBatch = byName('pre-trade evaluate, rejected');
  const validation = byName('order validation');
  const perSecond = (BATCH * 1000) / batch.latency.mean;
  const rejectedPerSecond = (BATCH * 1000) / rejectedBatch.latency.mean;
  const validationPerSecond = (BATCH * 1000) / validation.latency.mean;
  for (const order of approved)
    if (!engine.evaluate(order, snapshot).approved) throw new Error(`expected approval: ${JSON.stringify(order)}`);
  for (const order of rejected)
    if (engine.evaluate(order, snapshot).approved) throw new Error(`expected rejection: ${JSON.stringify(order)}`);

  const check = portfolioVar({ returns, weights }, { seed: 7, scenarios: SCENARIOS });
  const [p95] = check.parametric.estimates;
  const [m95] = check['monte-carlo'].estimates;
  const [h95] = check.historical.estimates;

  const lines = [
    `### Risk management: VaR/CVaR on ${DAYS.toLocaleString('en-US')} days × ${ASSETS} assets, pre-trade throughput`,
    '',
    `Node ${process.version}, ${process.platform} ${process.arch}. Portfolio equally weighted; Monte Carlo = multivariate normal via Cholesky, ${SCENARIOS.toLocaleString('en-US')} scenarios, seed 7. Pre-trade: 10 positions, 3 working orders, 60-day equity history, all standard rules; a rejection costs more because it builds an Error (stack capture).`,
    '',
    '| task | mean ms | p50 ms | p99 ms | samples |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    '| figure | value |',
    '| --- | ---: |',
    `| VaR95 historical / parametric / Monte Carlo | ${pct(h95.var)} / ${pct(p95.var)} / ${pct(m95.var)} |`,
    `| CVaR95 historical / parametric / Monte Carlo | ${pct(h95.cvar)} / ${pct(p95.cvar)} / ${pct(m95.cvar)} |`,
    `| Monte Carlo vs parametric VaR95 (accuracy) | ${(100 * Math.abs(m95.var / p95.var - 1)).toFixed(2)} % apart |`,
    `| Monte Carlo cost / parametric cost | ${(mc.latency.mean / parametric.latency.mean).toFixed(0)}× |`,
    `| pre-trade evaluations/s, approved orders (10 positions) | ${Math.round(perSecond).toLocaleString('en-US')} |`,
    `| pre-trade evaluations/s, rejected orders (builds a RiskRejectedError) | ${Math.round(rejectedPerSecond).toLocaleString('en-US')} |`,
    `| pre-trade evaluate p50 / p99 (single approved call) | ${(single.latency.p50 * 1000).toFixed(1)} / ${(single.latency.p99 * 1000).toFixed(1)} µs |`,
    `| full evaluate / order validation alone | ${(validationPerSecond / perSecond).toFixed(1)}× the time |`,
    '',
    `Target: full VaR report (3 methods × 2 levels) < ${VAR_REPORT_TARGET_MS} ms — ${report.latency.mean < VAR_REPORT_TARGET_MS ? 'met' : 'NOT met'} (${ms(report.latency.mean)} ms).`,
    `Target: pre-trade ≥ ${PRE_TRADE_TARGET_PER_S.toLocaleString('en-US')} evaluations/s of approved orders (10× the 20k orders/s round-trip target: risk takes at most a tenth of it) — ${perSecond >= PRE_TRADE_TARGET_PER_S ? 'met' : 'NOT met'} (${(perSecond / PRE_TRADE_TARGET_PER_S).toFixed(2)}× the target).`,
  ];
  if (!Number.isFinite(sink)) throw new Error('benchmark sink is not finite');
  process.stdout.write(`${lines.join('\n')}\n`);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(3)} %`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
