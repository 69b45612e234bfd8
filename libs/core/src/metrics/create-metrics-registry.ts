import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  Summary,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type SummaryConfiguration,
} from 'prom-client';
import { ConflictError, ValidationError, type FieldProblem } from '../errors';

export type MetricKind = 'counter' | 'gauge' | 'histogram' | 'summary';

type WithoutRegisters<C> = Omit<C, 'registers'>;
export type CounterOptions<L extends string> = WithoutRegisters<CounterConfiguration<L>>;
export type GaugeOptions<L extends string> = WithoutRegisters<GaugeConfiguration<L>>;
export type HistogramOptions<L extends string> = WithoutRegisters<HistogramConfiguration<L>>;
export type SummaryOptions<L extends string> = WithoutRegisters<SummaryConfiguration<L>>;

export interface MetricsRegistry {
  /** The prom-client registry, e.g. for a fastify `/metrics` route. */
  readonly registry: Registry;
  /** Content-Type of `metrics()`. */
  readonly contentType: string;
  readonly prefix: string;
  /** Get-or-create: the same name returns the same metric; a different kind, labels or buckets is an error. */
  counter<L extends string = string>(options: CounterOptions<L>): Counter<L>;
  gauge<L extends string = string>(options: GaugeOptions<L>): Gauge<L>;
  histogram<L extends string = string>(options: HistogramOptions<L>): Histogram<L>;
  summary<L extends string = string>(options: SummaryOptions<L>): Summary<L>;
  /** Prometheus text exposition of every metric. */
  metrics(): Promise<string>;
  /** Zeroes every value; the metrics stay registered. */
  reset(): void;
}

export interface CreateMetricsRegistryOptions {
  /** Also collect Node's process metrics (CPU, memory, event loop, GC), under the prefix. */
  collectDefault?: boolean;
  /** Every metric name must start with it. Default `rrr_`. */
  prefix?: string;
}

interface Registered {
  kind: MetricKind;
  /** Sorted: label order does not change a metric. */
  labelNames: readonly string[];
  /** Histogram buckets or summary percentiles, as given (undefined = prom-client's defaults). */
  shape: readonly number[] | undefined;
  metric: Counter<string> | Gauge<string> | Histogram<string> | Summary<string>;
}

const PREFIX_PATTERN = /^[a-z][a-z0-9_]*_$/;
// Prometheus allows colons and upper case, but colons are reserved for recording rules and snake_case is the convention.
const METRIC_NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;
const LABEL_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Series names Prometheus derives for histograms and summaries; a metric of its own under them would collide. */
const RESERVED_SUFFIXES = ['_bucket', '_count', '_sum'];

function describeLabels(labelNames: readonly string[]): string {
  return `[${labelNames.join(', ')}]`;
}

function describeRegistration(kind: MetricKind, labelNames: readonly string[], shape: readonly number[] | undefined) {
  const shapeName = kind === 'histogram' ? 'buckets' : 'percentiles';
  const shapeText =
    shape === undefined || kind === 'counter' || kind === 'gauge' ? '' : ` ${shapeName} [${shape.join(', ')}]`;
  return `a ${kind} with labels ${describeLabels(labelNames)}${shapeText}`;
}

function sameNumbers(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * A metrics registry of its own (never prom-client's global one), so tests and several platform instances in one
 * process do not collide. Names are checked up front, with errors that name the metric.
 */
export function createMetricsRegistry(options: CreateMetricsRegistryOptions = {}): MetricsRegistry {
  const prefix = options.prefix ?? 'rrr_';
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new ValidationError('metrics registry', [
      { field: 'prefix', message: 'must be lower-case snake_case ending with "_", e.g. "rrr_"', value: prefix },
    ]);
  }
  const registry = new Registry();
  const registered = new Map<string, Registered>();
  if (options.collectDefault === true) collectDefaultMetrics({ register: registry, prefix });

  function validate(kind: MetricKind, name: string, help: string, labelNames: readonly string[]): void {
    const problems: FieldProblem[] = [];
    if (!name.startsWith(prefix)) problems.push({ field: 'name', message: `must start with "${prefix}"` });
    if (!METRIC_NAME_PATTERN.test(name)) {
      problems.push({ field: 'name', message: 'must be snake_case: a-z, 0-9 and _, not starting with a digit' });
    }
    const reserved = RESERVED_SUFFIXES.find((suffix) => name.endsWith(suffix));
    if (reserved !== undefined) {
      problems.push({ field: 'name', message: `must not end with "${reserved}" (Prometheus derives those series)` });
    }
    if (help.trim() === '') problems.push({ field: 'help', message: 'must describe the metric' });
    const reservedLabel = kind === 'histogram' ? 'le' : kind === 'summary' ? 'quantile' : undefined;
    labelNames.forEach((label, i) => {
      if (!LABEL_NAME_PATTERN.test(label) || label.startsWith('__')) {
        problems.push({
          field: `labelNames[${i}]`,
          message: 'must match [a-zA-Z_][a-zA-Z0-9_]* and not start with "__"',
        });
      } else if (label === reservedLabel) {
        problems.push({ field: `labelNames[${i}]`, message: `"${label}" is reserved in a ${kind}` });
      }
    });
    if (new Set(labelNames).size !== labelNames.length) {
      problems.push({ field: 'labelNames', message: `must not repeat a label: ${describeLabels(labelNames)}` });
    }
    if (problems.length > 0) throw new ValidationError(`metric "${name}"`, problems);
  }

  function getOrCreate<M extends Registered['metric']>(
    kind: MetricKind,
    config: { name: string; help: string; labelNames?: readonly string[] },
    shape: readonly number[] | undefined,
    create: () => M,
  ): M {
    const labelNames = [...(config.labelNames ?? [])].sort();
    const existing = registered.get(config.name);
    if (existing !== undefined) {
      const same =
        existing.kind === kind &&
        existing.labelNames.join('\u0000') === labelNames.join('\u0000') &&
        sameNumbers(existing.shape, shape);
      if (!same) {
        throw new ConflictError(
          `metric "${config.name}" is registered as ${describeRegistration(existing.kind, existing.labelNames, existing.shape)}; ` +
            `asked for ${describeRegistration(kind, labelNames, shape)}`,
          { metric: config.name },
        );
      }
      return existing.metric as M;
    }
    validate(kind, config.name, config.help, config.labelNames ?? []);
    if (registry.getSingleMetric(config.name) !== undefined) {
      throw new ConflictError(`metric "${config.name}" is already registered by the default process metrics`, {
        metric: config.name,
      });
    }
    const metric = create();
    registered.set(config.name, { kind, labelNames, shape, metric });
    return metric;
  }

  return {
    registry,
    contentType: registry.contentType,
    prefix,
    counter: <L extends string>(config: CounterOptions<L>) =>
      getOrCreate('counter', config, undefined, () => new Counter<L>({ ...config, registers: [registry] })),
    gauge: <L extends string>(config: GaugeOptions<L>) =>
      getOrCreate('gauge', config, undefined, () => new Gauge<L>({ ...config, registers: [registry] })),
    histogram: <L extends string>(config: HistogramOptions<L>) =>
      getOrCreate('histogram', config, config.buckets, () => new Histogram<L>({ ...config, registers: [registry] })),
    summary: <L extends string>(config: SummaryOptions<L>) =>
      getOrCreate('summary', config, config.percentiles, () => new Summary<L>({ ...config, registers: [registry] })),
    metrics: () => registry.metrics(),
    reset: () => registry.resetMetrics(),
  };
}
