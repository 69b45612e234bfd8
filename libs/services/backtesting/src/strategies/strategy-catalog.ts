import type { FieldProblem } from '@rrr/core';
import {
  BollingerReversionStrategy,
  BuyAndHoldStrategy,
  PredictorStrategy,
  SmaCrossStrategy,
  type Predictor,
  type Strategy,
} from '@rrr/trading-engine';

export type ParameterValue = number | boolean;
export type StrategyParameters = Record<string, ParameterValue>;

/** One tunable parameter of a strategy: its type, default and inclusive bounds. */
export interface StrategyParameterSpec {
  name: string;
  type: 'integer' | 'number' | 'boolean';
  default: ParameterValue;
  min?: number;
  max?: number;
  description: string;
}

/** What building a strategy may need beyond its parameters. */
export interface StrategyBuildContext {
  symbols: readonly string[];
  /** Whether the run may sell short (strategies that can emit short signals do so only then). */
  allowShort: boolean;
  /** The model behind the `predictor` strategy. */
  predict?: Predictor;
}

/**
 * A strategy the backtester can run by name. The implementations are the trading engine's (the ones paper and live
 * trading run); this only names them, declares their parameters and builds a fresh instance per run.
 */
export interface BacktestStrategyDefinition {
  name: string;
  description: string;
  parameters: readonly StrategyParameterSpec[];
  /** Rules between parameters (fast < slow…), on already typed values. */
  check?(parameters: StrategyParameters): FieldProblem[];
  /** Set when the strategy cannot be described by parameters alone. */
  requires?: 'predictor';
  create(parameters: StrategyParameters, context: StrategyBuildContext): Strategy;
}

const int = (p: StrategyParameters, name: string): number => p[name] as number;

export const BACKTEST_STRATEGIES: Readonly<Record<string, BacktestStrategyDefinition>> = Object.freeze({
  'sma-cross': {
    name: 'sma-cross',
    description: 'Long while SMA(fast) > SMA(slow) of the close; flat (or short when allowed) below.',
    parameters: [
      { name: 'fast', type: 'integer', default: 20, min: 1, max: 10_000, description: 'fast average, bars' },
      { name: 'slow', type: 'integer', default: 50, min: 2, max: 10_000, description: 'slow average, bars' },
    ],
    check: (p) =>
      int(p, 'fast') >= int(p, 'slow')
        ? [
            {
              field: 'params.fast',
              message: `must be < slow (got fast ${int(p, 'fast')}, slow ${int(p, 'slow')})`,
              value: p['fast'],
            },
          ]
        : [],
    create: (p, context) =>
      new SmaCrossStrategy({
        fast: int(p, 'fast'),
        slow: int(p, 'slow'),
        allowShort: context.allowShort,
        symbols: context.symbols,
      }),
  },
  bollinger: {
    name: 'bollinger',
    description:
      'Mean reversion: long below the lower Bollinger band (short above the upper when allowed), flat back at the middle.',
    parameters: [
      { name: 'period', type: 'integer', default: 20, min: 2, max: 10_000, description: 'band length, bars' },
      { name: 'deviations', type: 'number', default: 2, min: 0.1, max: 10, description: 'band width, population σ' },
    ],
    create: (p, context) =>
      new BollingerReversionStrategy({
        period: int(p, 'period'),
        deviations: p['deviations'] as number,
        allowShort: context.allowShort,
        symbols: context.symbols,
      }),
  },
  'buy-and-hold': {
    name: 'buy-and-hold',
    description: 'One long entry per symbol on its first bar, held to the end (the benchmark through the engine).',
    parameters: [],
    create: (_p, context) => new BuyAndHoldStrategy({ symbols: context.symbols }),
  },
  predictor: {
    name: 'predictor',
    description: 'Trades a classifier’s P(up) − P(down) edge (a trained @rrr/neural-network model, injected).',
    requires: 'predictor',
    parameters: [
      {
        name: 'historyBars',
        type: 'integer',
        default: 60,
        min: 1,
        max: 10_000,
        description: 'bars handed to the model',
      },
      { name: 'entryEdge', type: 'number', default: 0.2, min: 0.000001, max: 1, description: 'edge to enter' },
      { name: 'exitEdge', type: 'number', default: 0, min: -1, max: 1, description: 'edge below which to exit' },
      { name: 'minConfidence', type: 'number', default: 0, min: 0, max: 1, description: 'ignore less confident' },
    ],
    check: (p) =>
      (p['exitEdge'] as number) >= (p['entryEdge'] as number)
        ? [{ field: 'params.exitEdge', message: `must be < entryEdge (${p['entryEdge']})`, value: p['exitEdge'] }]
        : [],
    create: (p, context) =>
      new PredictorStrategy({
        predict: context.predict as Predictor,
        historyBars: int(p, 'historyBars'),
        entryEdge: p['entryEdge'] as number,
        exitEdge: p['exitEdge'] as number,
        minConfidence: p['minConfidence'] as number,
        allowShort: context.allowShort,
        symbols: context.symbols,
      }),
  },
});

export const BACKTEST_STRATEGY_NAMES: readonly string[] = Object.keys(BACKTEST_STRATEGIES);

const TRUE = new Set(['true', 'yes', '1', 'on']);
const FALSE = new Set(['false', 'no', '0', 'off']);

/** A raw value (number, boolean, or the string a CLI flag gave) as the parameter's type, or the problem with it. */
function coerce(spec: StrategyParameterSpec, raw: unknown, field: string): ParameterValue | FieldProblem {
  if (spec.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (typeof raw === 'string' && TRUE.has(raw.trim().toLowerCase())) return true;
    if (typeof raw === 'string' && FALSE.has(raw.trim().toLowerCase())) return false;
    return { field, message: 'must be true or false', value: raw };
  }
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { field, message: `must be ${spec.type === 'integer' ? 'an integer' : 'a number'}`, value: raw };
  }
  if (spec.type === 'integer' && !Number.isInteger(value)) return { field, message: 'must be an integer', value: raw };
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    return { field, message: `must be between ${spec.min ?? '-∞'} and ${spec.max ?? '∞'}`, value: raw };
  }
  return value;
}

export interface ResolvedStrategy {
  definition: BacktestStrategyDefinition;
  /** Every parameter, given or defaulted, typed. */
  parameters: StrategyParameters;
}

/**
 * Looks up a strategy and types its parameters (defaults filled in), collecting every problem: an unknown strategy
 * (field `strategy`, listing the known ones), an unknown parameter (field `params.<name>`, listing the strategy's), a
 * value of the wrong type or out of bounds, a broken rule between parameters (fast ≥ slow), a missing model.
 */
export function resolveStrategy(
  name: unknown,
  raw: Readonly<Record<string, unknown>> | undefined,
  context: { predict?: Predictor } = {},
): { resolved?: ResolvedStrategy; problems: FieldProblem[] } {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(BACKTEST_STRATEGIES, name)) {
    return {
      problems: [{ field: 'strategy', message: `must be one of ${BACKTEST_STRATEGY_NAMES.join(', ')}`, value: name }],
    };
  }
  const definition = BACKTEST_STRATEGIES[name];
  const problems: FieldProblem[] = [];
  const known = new Map(definition.parameters.map((p) => [p.name, p]));
  for (const key of Object.keys(raw ?? {})) {
    if (!known.has(key)) {
      const list = definition.parameters.map((p) => p.name).join(', ') || 'none';
      problems.push({
        field: `params.${key}`,
        message: `is not a parameter of ${name} (it takes: ${list})`,
        value: raw?.[key],
      });
    }
  }
  const parameters: StrategyParameters = {};
  for (const spec of definition.parameters) {
    const given = raw?.[spec.name];
    const value = given === undefined ? spec.default : coerce(spec, given, `params.${spec.name}`);
    if (typeof value === 'object') problems.push(value);
    else parameters[spec.name] = value;
  }
  if (problems.length === 0 && definition.check !== undefined) problems.push(...definition.check(parameters));
  if (definition.requires === 'predictor' && context.predict === undefined) {
    problems.push({
      field: 'strategy',
      message: 'predictor needs a trained model: pass deps.predict (a @rrr/neural-network predictor)',
      value: name,
    });
  }
  return problems.length > 0 ? { problems } : { resolved: { definition, parameters }, problems };
}

/** `["fast=20", "slow=50"]` (CLI `--param` flags) → `{ fast: "20", slow: "50" }`; typing happens in resolveStrategy. */
export function parseParameterAssignments(assignments: readonly string[]): {
  params: Record<string, string>;
  problems: FieldProblem[];
} {
  const params: Record<string, string> = {};
  const problems: FieldProblem[] = [];
  for (const assignment of assignments) {
    const at = assignment.indexOf('=');
    const key = at > 0 ? assignment.slice(0, at).trim() : '';
    if (key === '') {
      problems.push({ field: 'params', message: 'each parameter must be written name=value', value: assignment });
      continue;
    }
    params[key] = assignment.slice(at + 1).trim();
  }
  return { params, problems };
}
