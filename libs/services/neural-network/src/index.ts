// Features: the legacy indicator set, batch and streaming (exactly equal), scaling and labels.
export {
  smaSeries,
  emaSeries,
  wilderSeries,
  demaSeries,
  temaSeries,
  rsiSeries,
  macdSeries,
  stochasticSeries,
  rocSeries,
  williamsRSeries,
  cciSeries,
  adxSeries,
  aroonSeries,
  bollingerSeries,
  atrSeries,
  donchianSeries,
  obvSeries,
  rollingVwapSeries,
  mfiSeries,
  type OhlcvColumns,
} from './features/indicator-series';
export { INDICATOR_PARAMETERS, INDICATOR_KEYS, type IndicatorValues } from './features/indicator-values';
export {
  FEATURE_NAMES,
  FEATURE_SET,
  FEATURE_COUNT,
  FEATURE_WARMUP_BARS,
  type FeatureName,
  type FeatureSetDescriptor,
} from './features/feature-set';
export {
  computeFeatureRows,
  computeIndicatorSeries,
  toOhlcvColumns,
  type OhlcvInput,
} from './features/compute-features';
export { resolveFeatureSubset, projectRow, type FeatureColumns } from './features/feature-subset';
export { StreamingFeatures } from './features/streaming-features';
export { FeatureScaler, DEFAULT_SCALER_CLIP, type FeatureScalerState } from './features/feature-scaler';
export {
  DEFAULT_LABEL_THRESHOLDS,
  createLabelSpec,
  labelSeries,
  forwardReturns,
  classOfReturn,
  type ClassIndex,
  type LabelSpec,
  type LabelSpecInput,
} from './features/labels';

// Models: one Predictor interface over logistic regression, MLP, LSTM and ensemble; the rrr model files.
export {
  PREDICTOR_KINDS,
  type Predictor,
  type PredictorKind,
  type PredictorDescription,
  type FeatureWindow,
  type LabelledWindows,
  type ClassForecast,
  type FitOptions,
  type FitReport,
  type EpochReport,
  type SavedModelFiles,
} from './models/predictor';
export {
  createPredictor,
  loadPredictor,
  checkPredictorHyperparameters,
  type PredictorSpec,
  type LoadedPredictor,
} from './models/create-predictor';
export {
  LOGISTIC_REGRESSION_DEFAULTS,
  type LogisticRegressionHyperparameters,
} from './models/logistic-regression-predictor';
export { MLP_DEFAULTS, type MlpHyperparameters } from './models/mlp-predictor';
export {
  LSTM_DEFAULTS,
  LSTM_RECURRENT_ACTIVATIONS,
  type LstmHyperparameters,
  type LstmRecurrentActivation,
} from './models/lstm-predictor';
export { ENSEMBLE_DEFAULT_MEMBERS, type EnsembleMemberSpec } from './models/ensemble-predictor';
export { useTfBackend, type TfBackendName } from './models/tf-backend';
export {
  FileModelHandler,
  MODEL_FILE_FORMAT,
  MODEL_FORMAT_VERSION,
  MODEL_JSON_FILE,
  WEIGHTS_FILE,
  type ModelJson,
} from './models/file-model-handler';
export { ModelArtifactError } from './models/model-artifact-error';
export {
  createTrainedModel,
  loadTrainedModel,
  saveTrainedModel,
  modelId,
  type TrainedModel,
  type TrainedModelMetadata,
  type LoadTrainedModelExpectations,
} from './models/trained-model';

// Registry: versions, metrics and hyperparameters in ml_models; weights on disk.
export {
  ModelRegistry,
  MODEL_STATUSES,
  parseModelRef,
  defaultModelName,
  MODEL_NAME_PATTERN,
  type ModelStatus,
  type RegisteredModel,
  type ActiveModelRef,
  type ModelRegistryDeps,
  type RegisterModelInput,
  type ModelListFilter,
} from './registry/model-registry';

// Training and evaluation (what `rrr model train|evaluate|list` calls).
export {
  trainModel,
  loadSeries,
  type ModelJobDeps,
  type SeriesRequest,
  type TrainModelRequest,
  type TrainModelResult,
} from './training/train-model';
export { evaluateModel, type EvaluateModelRequest } from './training/evaluate-model';
export {
  createModelTrainingJobs,
  MIN_TRAINING_BARS,
  type ModelTrainingJobs,
  type ModelTrainingJobsDeps,
  type ModelTrainingJobsConfig,
} from './training/model-training-jobs';
export {
  resolveTrainingJobRequest,
  TRAINING_REQUEST_FIELDS,
  type TrainingJobRequest,
} from './training/training-job-request';
export type { TrainingJob, TrainingJobProgress, TrainingJobResult } from './training/training-job';
export type { TrainingDatabaseOptions } from './training/training-worker-protocol';
export { listModels } from './training/list-models';
export type { TrainingProgress, TrainingProgressCallback, TrainingStage } from './training/training-progress';
export {
  walkForward,
  planWalkForward,
  type WalkForwardOptions,
  type WalkForwardReport,
  type WalkForwardFold,
  type FoldPlan,
} from './training/walk-forward';
export { buildSupervisedSeries, projectSeries, usableRange, type SupervisedSeries } from './training/supervised-series';
export { classificationMetrics, LOG_LOSS_EPSILON, type ClassificationMetrics } from './training/classification-metrics';
export {
  compareWithBaselines,
  BASELINE_NAMES,
  type BaselineComparison,
  type BaselineName,
  type BaselineVerdict,
} from './training/compare-with-baselines';
export { majorityClassBaseline, lastDirectionBaseline } from './training/naive-baselines';
export { formatWalkForwardReport, formatComparison } from './training/format-evaluation-report';
export { loadBarsFromDatabase } from './training/load-bars';

// Live inference service.
export {
  createNeuralNetworkService,
  type NeuralNetworkService,
  type NeuralNetworkServiceDeps,
  type NeuralNetworkServiceConfig,
  type LoadedModelInfo,
  type ActiveModelsSync,
} from './live/neural-network-service';
export { StreamingInference } from './live/streaming-inference';
