// Portfolio selection
export {
  optimizePortfolio,
  PORTFOLIO_METHODS,
  PORTFOLIO_QAOA_EVALUATIONS,
  type OptimizePortfolioInput,
  type PortfolioOptimization,
  type PortfolioRun,
  type PortfolioHolding,
  type PortfolioMethod,
} from './optimize-portfolio';
export { formatOptimizationReport } from './format-optimization-report';
export {
  portfolioSelectionQubo,
  evaluateSelection,
  type PortfolioSelectionInput,
  type PortfolioSelectionProblem,
  type SelectionEvaluation,
} from './portfolio-selection-qubo';
export {
  estimateInputsFromPrices,
  type EstimatedInputs,
  type EstimateInputsOptions,
} from './estimate-inputs-from-prices';
export { syntheticPortfolio, type SyntheticPortfolio, type SyntheticPortfolioOptions } from './synthetic-portfolio';
export { validatePortfolioInputs, covarianceProblems, type PortfolioInputs } from './validate-portfolio-inputs';
export { psdCheck } from './cholesky';
export { approximationRatio } from './approximation-ratio';

// QUBO model and solvers
export { Qubo } from './qubo';
export { quboToIsing, isingEnergy, type IsingModel } from './qubo-to-ising';
export { indexToBits, bitsToIndex, bitsToLabel, selectedIndices, popcount } from './bitstring';
export { energyTable, walkGrayCode, MAX_ENUMERATED_VARIABLES } from './energy-table';
export { solveExact, type ExactSolution, type SolveExactOptions } from './solve-exact';
export { annealQubo, type AnnealOptions, type AnnealResult } from './simulated-annealing';
export { parallelTempering, type TemperingOptions, type TemperingResult } from './parallel-tempering';
export { defaultTemperatureRange, type TemperatureRange } from './temperature-range';

// Quantum simulation
export { Statevector, MAX_STATEVECTOR_QUBITS } from './statevector';
export { runQaoa, prepareQaoaState, qaoaExpectation, QAOA_DEFAULTS, type QaoaOptions, type QaoaResult } from './qaoa';
export { minimizeNelderMead, type NelderMeadOptions, type NelderMeadResult } from './nelder-mead';
export { createRng, type Rng } from './seeded-rng';

// Continuous mean-variance baseline
export {
  meanVariance,
  type MeanVarianceInput,
  type MeanVarianceResult,
  type MeanVarianceObjective,
} from './mean-variance';
export {
  solveQuadraticProgram,
  type QuadraticProgram,
  type QuadraticProgramSolution,
  type LinearConstraint,
} from './quadratic-program';

// Generic optimisers for the predictors (the platform plugs neural-network evaluations in)
export { tuneByAnnealing, type TuneByAnnealingOptions } from './tune-by-annealing';
export { randomSearch, type RandomSearchOptions } from './random-search';
export { gridSearch, type GridSearchOptions, type GridSearchResult } from './grid-search';
export { EvaluationBudget, type EvaluationRecord, type SearchResult, type Goal } from './evaluation-budget';
export {
  validateSearchSpace,
  type SearchSpace,
  type ParameterSpec,
  type ParameterSet,
  type ParameterValue,
} from './search-space';
export {
  selectFeaturesGenetic,
  type GeneticFeatureSelectionOptions,
  type GeneticFeatureSelectionResult,
} from './select-features-genetic';
export { selectFeaturesRandom, type RandomFeatureSearchOptions } from './select-features-random';
export { type FeatureFitness, type FeatureSelectionResult, type FeatureSubset } from './feature-subset-search';

// Portfolio optimisation as a platform service: jobs over inputs estimated from stored bars, solved on worker threads
export {
  createQuantumOptimizationService,
  type QuantumOptimizationService,
  type QuantumOptimizationServiceConfig,
  type QuantumOptimizationServiceDeps,
} from './service/create-quantum-optimization-service';
export {
  OPTIMIZATION_JOB_STATUSES,
  type OptimizationJob,
  type OptimizationJobStatus,
} from './service/optimization-job';
export {
  resolveOptimizationRequest,
  type OptimizationRequest,
  type ResolvedOptimizationRequest,
} from './service/optimization-request';
export {
  defaultK,
  OPTIMIZATION_METHOD_CHOICES,
  OPTIMIZATION_REQUEST_DEFAULTS,
  OPTIMIZATION_REQUEST_FIELDS,
  OPTIMIZATION_REQUEST_LIMITS,
  type OptimizationMethodChoice,
  type OptimizationRequestFieldSpec,
} from './service/optimization-request-fields';
export {
  OPTIMIZATION_METHODS,
  type OptimizationMethodInput,
  type OptimizationMethodSpec,
} from './service/optimization-method-catalog';
export { readAlignedCloses, type AlignedCloses } from './service/read-aligned-closes';
export { optimizationWorkerScript } from './service/optimization-worker-script';
