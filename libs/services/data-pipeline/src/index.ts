// The service (registry factory) and the functions behind `rrr data import|backfill|quality|list`.
export { createDataPipelineService } from './service/data-pipeline-service';
export type {
  DataPipelineService,
  DataPipelineServiceConfig,
  DataPipelineServiceDeps,
  LiveFeedConfig,
} from './service/data-pipeline-service';
export { importFile, StrictImportError, WORKER_MIN_FILE_BYTES } from './ingest/import-file';
export type { ImportFileOptions, ImportProgress, ImportResult } from './ingest/import-file';
export { runBackfill } from './backfill/run-backfill';
export type { BackfillOptions, BackfillProgress, BackfillResult } from './backfill/run-backfill';
export { backfillJobId } from './backfill/backfill-job-id';
export { createBackfillSource, BACKFILL_SOURCE_KINDS } from './commands/create-backfill-source';
export type { BackfillSourceClients, BackfillSourceKind, BackfillSourceSpec } from './commands/create-backfill-source';
export { qualityReport, formatSymbolQualityReport } from './commands/quality-report-for-symbol';
export type { SymbolQualityOptions, SymbolQualityReport } from './commands/quality-report-for-symbol';
export { listSymbols, formatSymbolListing } from './commands/list-symbols';
export type { SymbolListing } from './commands/list-symbols';

// Sources: one interface, async iterables of bars or trades.
export { defineSource, iterateItems } from './sources/data-source';
export type {
  BarSource,
  DataSource,
  SourceBatch,
  SourceDescription,
  SourceKind,
  SourceReadOptions,
  SourceReject,
  TradeSource,
} from './sources/data-source';
export { BUNDLED_DATASETS, createBundledSource, isBundledSymbol } from './sources/bundled-datasets';
export type { BundledDataset, BundledSymbol } from './sources/bundled-datasets';
export { createFileSource } from './sources/file-source';
export type { FileFormat, FileReadInfo, FileSource, FileSourceOptions } from './sources/file-source';
export { createSyntheticSource, createSyntheticTradeSource } from './sources/synthetic-source';
export type { SyntheticSourceOptions, SyntheticTradeSourceOptions } from './sources/synthetic-source';
export { SyntheticMarket, DEFAULT_JUMPS, DEFAULT_REGIMES } from './sources/synthetic-market';
export type { JumpModel, SyntheticMarketOptions, VolatilityRegime } from './sources/synthetic-market';
export { SeededRandom } from './sources/seeded-random';
export { createPolygonSource } from './sources/polygon-source';
export type { PolygonAggregatesClient, PolygonSourceOptions } from './sources/polygon-source';
export { createExchangeOhlcvSource, createExchangeTradeSource } from './sources/exchange-sources';
export type {
  ExchangeOhlcvClient,
  ExchangeOhlcvSourceOptions,
  ExchangeTradeSourceOptions,
  ExchangeTradesClient,
} from './sources/exchange-sources';

// Files: what the file source is made of, for callers with their own readers.
export { DataFileError } from './files/data-file-error';
export { DATE_FORMATS, createTimestampParser, detectDateFormat } from './files/timestamp-parser';
export type { ConcreteDateFormat, DateFormat, TimestampParser } from './files/timestamp-parser';
export { BAR_FIELDS, TRADE_FIELDS, resolveColumns } from './files/column-mapping';
export type { ColumnMapping, RecordKind, ResolvedColumns } from './files/column-mapping';

// Aggregation.
export { TradeAggregator, aggregateTrades } from './aggregation/trade-aggregator';
export type { TradeAggregatorOptions } from './aggregation/trade-aggregator';
export { BarResampler, resampleBars } from './aggregation/bar-resampler';
export type { BarResamplerOptions } from './aggregation/bar-resampler';

// Validation.
export { BarQualityChecker } from './validation/bar-quality-checker';
export type { BarQualityCheckerOptions, QuarantineEntry } from './validation/bar-quality-checker';
export { QUALITY_CHECKS, formatDataProblem } from './validation/data-problem';
export type {
  DataProblem,
  ProblemAction,
  ProblemSeverity,
  QualityCheck,
  RepairChange,
} from './validation/data-problem';
export { formatQualityReport } from './validation/quality-report';
export type { QualityReport, SeriesSummary } from './validation/quality-report';
export { DEFAULT_QUALITY_THRESHOLDS } from './validation/quality-thresholds';
export type { QualityThresholds } from './validation/quality-thresholds';
export { ANOMALY_POLICIES, DEFAULT_VALIDATION_POLICY, ERROR_POLICIES } from './validation/validation-policy';
export type { AnomalyPolicy, ErrorPolicy, ValidationPolicy } from './validation/validation-policy';

// Storage.
export { BarStore, MAX_PAGE_SIZE } from './storage/bar-store';
export type { BarPage, BarQuery, StoredSeries } from './storage/bar-store';
export { inferAssetClass, readSymbols, registerSymbols } from './storage/symbol-registry';
export type { AssetClass, RegisteredSymbol, SymbolEntry } from './storage/symbol-registry';
export { countQuarantined, readQuarantined } from './storage/quarantine-store';
export type { QuarantinedRow, QuarantineQuery } from './storage/quarantine-store';
export { readCheckpoint } from './storage/checkpoint-store';
export type { BackfillCheckpoint, BackfillCursor } from './storage/checkpoint-store';

// Live mode.
export { systemTimer, type FeedTimer } from './live/feed-timer';
export { SyntheticLiveFeed } from './live/synthetic-live-feed';
export { ExchangeLiveFeed } from './live/exchange-live-feed';
export type { ExchangeLiveFeedClient, ExchangeLiveFeedOptions } from './live/exchange-live-feed';
export type { SyntheticLiveFeedOptions } from './live/synthetic-live-feed';
export { RollingBarWindows } from './live/rolling-bar-windows';
