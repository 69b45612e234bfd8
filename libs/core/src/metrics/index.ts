export { createMetricsRegistry } from './create-metrics-registry';
export type {
  CreateMetricsRegistryOptions,
  MetricsRegistry,
  MetricKind,
  CounterOptions,
  GaugeOptions,
  HistogramOptions,
  SummaryOptions,
} from './create-metrics-registry';
export { timeAsync } from './time-async';
