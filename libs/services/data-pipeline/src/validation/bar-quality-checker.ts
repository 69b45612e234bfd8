import {
  DOMAIN_LIMITS,
  INTERVAL_MS,
  SYMBOL_EXPECTATION,
  isInterval,
  isValidSymbol,
  toIso,
  type Bar,
  type Interval,
} from '@rrr/core';
import { severityOf, type DataProblem, type ProblemAction, type QualityCheck, type RepairChange } from './data-problem';
import { QualityReportBuilder, type QualityReport } from './quality-report';
import { resolveQualityThresholds, type QualityThresholds } from './quality-thresholds';
import { RollingStats } from './rolling-stats';
import { resolveValidationPolicy, type ErrorPolicy, type ValidationPolicy } from './validation-policy';

/** A row the policy set aside: stored in `quarantined_rows` by the pipeline. */
export interface QuarantineEntry {
  source: string;
  symbol?: string;
  interval?: string;
  line?: number;
  ts?: number;
  /** The row as the source gave it. */
  raw: string;
  problems: DataProblem[];
}

export interface BarQualityCheckerOptions {
  /** Named in every problem, e.g. `file:/data/spx.csv`. */
  source: string;
  policy?: ErrorPolicy | Partial<ValidationPolicy>;
  thresholds?: Partial<QualityThresholds>;
  /** Problems listed in the report; more are counted only. Default 10,000. */
  maxProblems?: number;
}

/** One problem found in a row before the policy has decided what happens to the row. */
interface Finding {
  check: QualityCheck;
  reason: string;
  /** Applies the unambiguous fix to a copy of the bar and says what changed; absent when there is none. */
  fix?: (bar: Bar) => RepairChange[];
}

/**
 * The running state of one series (symbol + interval): what the order and anomaly checks compare against. The
 * reference is the last *accepted* bar, so a refused row never becomes the yardstick; but when the previous valid
 * bar was refused as an anomaly, a bar must also be anomalous against that one to be flagged. Otherwise one real
 * level shift (a jump, a new volume regime the policy set aside) would make every later bar look anomalous against
 * the old level. The price: the second bar of a two-bar glitch passes.
 */
class SeriesState {
  lastTs: number | undefined;
  lastClose: number | undefined;
  /** The previous valid, in-order bar when it was refused as an anomaly; undefined when it was accepted. */
  refused: Bar | undefined;
  readonly returns: RollingStats;
  readonly volumes: RollingStats;

  constructor(
    readonly symbol: string,
    readonly interval: Interval,
    thresholds: QualityThresholds,
  ) {
    this.returns = new RollingStats(thresholds.returnWindow);
    this.volumes = new RollingStats(thresholds.volumeWindow);
  }

  accept(bar: Bar): void {
    if (this.lastClose !== undefined) this.returns.push(Math.log(bar.close / this.lastClose));
    this.volumes.push(bar.volume);
    this.lastTs = bar.ts;
    this.lastClose = bar.close;
    this.refused = undefined;
  }
}

/** What a clean bar's checks find: shared, never written to. */
const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;
const PRICE_EXPECTATION = `must be > ${DOMAIN_LIMITS.priceMinExclusive} and < ${DOMAIN_LIMITS.priceMaxExclusive}`;

function isPrice(value: number): boolean {
  return value > DOMAIN_LIMITS.priceMinExclusive && value < DOMAIN_LIMITS.priceMaxExclusive;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/**
 * The quality checks of a bar stream, applied row by row as bars arrive: field rules (prices, volume, OHLC
 * consistency, the domain's symbol/timestamp/vwap/trades rules), order within each series (duplicates, rows older
 * than one already accepted), and anomalies against a rolling history (gaps, spikes, volume outliers). Each problem
 * is reported with its source, line or timestamp and reason, and the policy decides the row's fate. Order and
 * anomaly checks compare against the last *accepted* bar of the series, so a rejected row never becomes the
 * reference for the next one.
 */
export class BarQualityChecker {
  readonly source: string;
  readonly policy: ValidationPolicy;
  readonly thresholds: QualityThresholds;
  private readonly report: QualityReportBuilder;
  private readonly series = new Map<string, SeriesState>();
  private lastSeries: SeriesState | undefined;
  private lastValidSymbol = '';
  private quarantined: QuarantineEntry[] = [];

  constructor(options: BarQualityCheckerOptions) {
    this.source = options.source;
    this.policy = resolveValidationPolicy(options.policy);
    this.thresholds = resolveQualityThresholds(options.thresholds);
    this.report = new QualityReportBuilder(options.source, options.maxProblems);
  }

  /** Problems found so far, of either severity. */
  get problemCount(): number {
    return this.report.problemCount;
  }

  /** Problems of severity error found so far. */
  get errorCount(): number {
    return this.report.errorCount;
  }

  /**
   * Checks one bar. Returns the bar to store (the same object, or a repaired copy) or undefined when the policy
   * keeps it out (rejected, or quarantined: see `takeQuarantined`).
   */
  check(bar: Bar, line?: number, raw?: string): Bar | undefined {
    const findings = this.fieldFindings(bar);
    const repairable = findings.length > 0 && this.policy.errors === 'repair' && findings.every((f) => f.fix);
    if (findings.length > 0 && !repairable) return this.refuse(bar, line, raw, findings, this.policy.errors);

    const series = this.seriesOf(bar.symbol, bar.interval);
    const order = this.orderFinding(bar, series);
    if (order !== undefined) return this.refuse(bar, line, raw, [...findings, order], this.policy.errors);

    let stored = bar;
    // Only a repaired bar has changes to record: a clean one (nearly every row) allocates nothing here.
    let changes: Map<Finding, RepairChange[]> | undefined;
    if (findings.length > 0) {
      stored = { ...bar };
      changes = new Map();
      for (const finding of findings) changes.set(finding, finding.fix?.(stored) ?? []);
    }

    const anomalies = this.anomalyFindings(stored, series);
    if (anomalies.length > 0 && this.policy.anomalies !== 'keep') {
      series.refused = stored;
      return this.refuse(bar, line, raw, [...findings, ...anomalies], this.policy.anomalies);
    }

    for (const finding of findings) this.emit(bar, line, finding, 'repaired', changes?.get(finding));
    for (const finding of anomalies) this.emit(stored, line, finding, 'kept');
    this.report.countRow(findings.length > 0 ? 'repaired' : 'accepted');
    this.report.countBar(stored.symbol, stored.interval, stored.ts);
    series.accept(stored);
    return stored;
  }

  /**
   * Records a row refused before it became a bar: unreadable (`unparseable`), or a trade that arrived after its bar
   * had closed (`out-of-order`). Under `quarantine` it is set aside with its raw text; under `reject` and `repair`
   * (there is nothing to repair from) it is rejected.
   */
  refuseRow(
    check: QualityCheck,
    reason: string,
    where: { line?: number; ts?: number; raw?: string; symbol?: string; interval?: string },
  ): void {
    const action: ProblemAction = this.policy.errors === 'quarantine' ? 'quarantined' : 'rejected';
    const problem: DataProblem = { source: this.source, check, severity: severityOf(check), reason, action };
    if (where.symbol !== undefined) problem.symbol = where.symbol;
    if (where.interval !== undefined) problem.interval = where.interval;
    if (where.line !== undefined) problem.line = where.line;
    if (where.ts !== undefined) problem.ts = where.ts;
    this.report.addProblem(problem);
    this.report.countRow(action);
    if (action === 'quarantined') {
      this.quarantined.push({
        source: this.source,
        symbol: where.symbol,
        interval: where.interval,
        line: where.line,
        ts: where.ts,
        raw: where.raw ?? '',
        problems: [problem],
      });
    }
  }

  /**
   * Feeds already-stored bars (oldest first) as accepted history without checking or counting them: a resumed
   * backfill starts with the order and rolling state an uninterrupted run would have at that point.
   */
  seed(bars: readonly Bar[]): void {
    for (const bar of bars) this.seriesOf(bar.symbol, bar.interval).accept(bar);
  }

  /** The rows quarantined since the last call, for the caller to store. */
  takeQuarantined(): QuarantineEntry[] {
    const taken = this.quarantined;
    this.quarantined = [];
    return taken;
  }

  result(): QualityReport {
    return this.report.build();
  }

  private refuse(
    bar: Bar,
    line: number | undefined,
    raw: string | undefined,
    findings: readonly Finding[],
    policy: ErrorPolicy | 'keep',
  ): undefined {
    const action: ProblemAction = policy === 'quarantine' ? 'quarantined' : 'rejected';
    const problems = findings.map((f) => this.emit(bar, line, f, action));
    this.report.countRow(action);
    if (action === 'quarantined') {
      this.quarantined.push({
        source: this.source,
        symbol: bar.symbol,
        interval: bar.interval,
        line,
        ts: Number.isFinite(bar.ts) ? bar.ts : undefined,
        raw: raw ?? JSON.stringify(bar),
        problems,
      });
    }
    return undefined;
  }

  private emit(
    bar: Bar,
    line: number | undefined,
    finding: Finding,
    action: ProblemAction,
    changes?: RepairChange[],
  ): DataProblem {
    const problem: DataProblem = {
      source: this.source,
      check: finding.check,
      severity: severityOf(finding.check),
      reason: finding.reason,
      action,
      symbol: bar.symbol,
      interval: bar.interval,
    };
    if (line !== undefined) problem.line = line;
    if (Number.isFinite(bar.ts)) problem.ts = bar.ts;
    if (changes !== undefined && changes.length > 0) problem.changes = changes;
    this.report.addProblem(problem);
    return problem;
  }

  private seriesOf(symbol: string, interval: Interval): SeriesState {
    // Rows nearly always continue the previous row's series: no key string is built for them.
    const last = this.lastSeries;
    if (last !== undefined && last.symbol === symbol && last.interval === interval) return last;
    const key = `${symbol}|${interval}`;
    let state = this.series.get(key);
    if (state === undefined) {
      state = new SeriesState(symbol, interval, this.thresholds);
      this.series.set(key, state);
    }
    this.lastSeries = state;
    return state;
  }

  /** Field rules. The fast path (a clean bar) costs a handful of comparisons and allocates nothing. */
  private fieldFindings(bar: Bar): readonly Finding[] {
    const { open, high, low, close, volume, ts } = bar;
    const clean =
      isPrice(open) &&
      isPrice(high) &&
      isPrice(low) &&
      isPrice(close) &&
      volume >= 0 &&
      volume < Infinity &&
      high >= open &&
      high >= close &&
      high >= low &&
      low <= open &&
      low <= close &&
      Number.isInteger(ts) &&
      ts > 0 &&
      ts <= DOMAIN_LIMITS.timestampMaxMs &&
      (bar.symbol === this.lastValidSymbol || isValidSymbol(bar.symbol)) &&
      isInterval(bar.interval) &&
      (bar.vwap === undefined || (bar.vwap >= low && bar.vwap <= high)) &&
      (bar.trades === undefined || (Number.isInteger(bar.trades) && bar.trades >= 0));
    if (clean) {
      this.lastValidSymbol = bar.symbol;
      return NO_FINDINGS;
    }
    return this.describeFieldFindings(bar);
  }

  private describeFieldFindings(bar: Bar): Finding[] {
    const findings: Finding[] = [];
    if (!isValidSymbol(bar.symbol)) {
      findings.push({ check: 'invalid-field', reason: `symbol ${SYMBOL_EXPECTATION} (got ${shown(bar.symbol)})` });
    }
    if (!isInterval(bar.interval)) {
      findings.push({
        check: 'invalid-field',
        reason: `interval must be one of ${Object.keys(INTERVAL_MS).join(', ')} (got ${shown(bar.interval)})`,
      });
    }
    if (!Number.isInteger(bar.ts) || bar.ts <= 0 || bar.ts > DOMAIN_LIMITS.timestampMaxMs) {
      findings.push({
        check: 'invalid-field',
        reason: `ts must be an integer epoch-milliseconds timestamp > 0 and <= ${DOMAIN_LIMITS.timestampMaxMs} (got ${shown(bar.ts)})`,
      });
    }
    const badPrices = PRICE_FIELDS.filter((field) => typeof bar[field] !== 'number' || !isPrice(bar[field]));
    for (const field of badPrices) {
      findings.push({
        check: 'price-out-of-bounds',
        reason: `${field} ${PRICE_EXPECTATION} (got ${shown(bar[field])})`,
      });
    }
    if (typeof bar.volume !== 'number' || Number.isNaN(bar.volume) || bar.volume === Infinity) {
      findings.push({ check: 'invalid-field', reason: `volume must be a finite number (got ${shown(bar.volume)})` });
    } else if (bar.volume < 0) {
      findings.push({
        check: 'negative-volume',
        reason: `volume must be >= 0 (got ${bar.volume})`,
        fix: (b) => {
          const from = b.volume;
          b.volume = 0;
          return [{ field: 'volume', from, to: 0 }];
        },
      });
    }
    if (badPrices.length > 0) return findings;

    const { open, high, low, close } = bar;
    const ceiling = Math.max(open, close, low);
    const floor = Math.min(open, close);
    if (high < ceiling || low > floor) {
      const reasons: string[] = [];
      if (high < ceiling) reasons.push(`high ${high} is below max(open, close, low) = ${ceiling}`);
      if (low > floor) reasons.push(`low ${low} is above min(open, close) = ${floor}`);
      findings.push({
        check: 'ohlc-inconsistent',
        reason: reasons.join('; '),
        fix: (b) => {
          const newHigh = Math.max(b.open, b.high, b.low, b.close);
          const newLow = Math.min(b.open, b.high, b.low, b.close);
          const changes: RepairChange[] = [];
          if (newHigh !== b.high) changes.push({ field: 'high', from: b.high, to: newHigh });
          if (newLow !== b.low) changes.push({ field: 'low', from: b.low, to: newLow });
          b.high = newHigh;
          b.low = newLow;
          return changes;
        },
      });
    }
    const hullHigh = Math.max(open, high, low, close);
    const hullLow = Math.min(open, high, low, close);
    if (bar.vwap !== undefined && !(bar.vwap >= hullLow && bar.vwap <= hullHigh)) {
      findings.push({
        check: 'invalid-field',
        reason: `vwap ${shown(bar.vwap)} lies outside [low, high] = [${hullLow}, ${hullHigh}]`,
        fix: (b) => {
          const from = b.vwap as number;
          delete b.vwap;
          return [{ field: 'vwap', from, to: null }];
        },
      });
    }
    if (bar.trades !== undefined && !(Number.isInteger(bar.trades) && bar.trades >= 0)) {
      findings.push({
        check: 'invalid-field',
        reason: `trades must be a non-negative integer (got ${shown(bar.trades)})`,
        fix: (b) => {
          const from = b.trades as number;
          delete b.trades;
          return [{ field: 'trades', from, to: null }];
        },
      });
    }
    return findings;
  }

  private orderFinding(bar: Bar, series: SeriesState): Finding | undefined {
    const last = series.lastTs;
    if (last === undefined || bar.ts > last) return undefined;
    if (bar.ts === last) {
      return {
        check: 'duplicate-timestamp',
        reason: `a bar for ${toIso(bar.ts)} was already accepted; the first one is kept`,
      };
    }
    return {
      check: 'out-of-order',
      reason: `${toIso(bar.ts)} arrived after a bar for ${toIso(last)} had been accepted`,
    };
  }

  private anomalyFindings(bar: Bar, series: SeriesState): readonly Finding[] {
    let findings: Finding[] | undefined;
    const t = this.thresholds;
    if (series.lastTs !== undefined) {
      const intervals = (bar.ts - series.lastTs) / INTERVAL_MS[bar.interval];
      if (intervals > t.gapIntervals) {
        (findings ??= []).push({
          check: 'gap',
          reason: `${intervals} intervals between ${toIso(series.lastTs)} and ${toIso(bar.ts)} (more than ${t.gapIntervals})`,
        });
      }
    }
    if (series.lastClose !== undefined) {
      const spike = this.spikeReason(bar.close, series.lastClose, series);
      if (
        spike !== undefined &&
        (series.refused === undefined || this.spikeReason(bar.close, series.refused.close, series) !== undefined)
      ) {
        (findings ??= []).push({ check: 'spike', reason: spike });
      }
    }
    if (series.volumes.count >= t.volumeMinSamples) {
      const average = series.volumes.mean();
      const outlier = (volume: number, reference: number) =>
        reference > 0 && volume > t.volumeOutlierFactor * reference;
      if (
        outlier(bar.volume, average) &&
        (series.refused === undefined || outlier(bar.volume, series.refused.volume))
      ) {
        (findings ??= []).push({
          check: 'volume-outlier',
          reason: `volume ${bar.volume} is ${(bar.volume / average).toFixed(1)}× the average of the last ${series.volumes.count} bars (${Number(average.toPrecision(6))}; limit ${t.volumeOutlierFactor}×)`,
        });
      }
    }
    return findings ?? NO_FINDINGS;
  }

  /** Why a close is a spike against a reference close, or undefined when it is not one. */
  private spikeReason(close: number, reference: number, series: SeriesState): string | undefined {
    const t = this.thresholds;
    const change = close / reference - 1;
    if (Math.abs(change) > t.spikeReturn) {
      return `close moved ${change > 0 ? '+' : ''}${percent(change)} from ${reference} to ${close} (limit ${percent(t.spikeReturn)})`;
    }
    if (series.returns.count < t.returnMinSamples) return undefined;
    const std = series.returns.std();
    if (!(std > 0)) return undefined;
    const logReturn = Math.log(close / reference);
    const z = (logReturn - series.returns.mean()) / std;
    if (Math.abs(z) <= t.spikeZ) return undefined;
    return `log return ${logReturn.toFixed(4)} is ${z.toFixed(1)}σ from the mean of the last ${series.returns.count} bars (limit ${t.spikeZ}σ)`;
  }
}
