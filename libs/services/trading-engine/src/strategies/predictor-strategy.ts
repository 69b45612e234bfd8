import { ValidationError, type Bar, type Prediction, type Signal } from '@rrr/core';
import { regimeSignal, type Regime, type Strategy, type StrategyContext } from './strategy';

/** What the strategy needs of a model's output; a core Prediction fits. */
export type PredictionLike = Pick<Prediction, 'probabilities'> & Partial<Pick<Prediction, 'confidence' | 'model'>>;

/**
 * The model, injected: given the bar just closed and the bars before it (oldest first, this one last), its view of
 * the next move, or undefined when it has none. May be async (a tfjs model); the engine awaits it.
 */
export type Predictor = (
  bar: Bar,
  history: readonly Bar[],
) => PredictionLike | undefined | Promise<PredictionLike | undefined>;

export interface PredictorStrategyOptions {
  predict: Predictor;
  /** Named in the strategy id, e.g. `lstm@3`. */
  name?: string;
  /** Bars of history kept per symbol and handed to the predictor; also the warm-up. Default 60. */
  historyBars?: number;
  /** Enter when P(up) − P(down) reaches this (or its negative, short); default 0.2. */
  entryEdge?: number;
  /** Leave a position when the edge in its favour falls below this; default 0. */
  exitEdge?: number;
  /** Ignore predictions less confident than this; default 0. */
  minConfidence?: number;
  allowShort?: boolean;
  symbols?: readonly string[];
}

/**
 * Trades a classifier's down/flat/up probabilities through an injected predictor (so the trading engine does not
 * depend on the neural-network library): long when the edge P(up) − P(down) ≥ entryEdge, short when ≤ −entryEdge
 * (if allowed), back to flat when the edge for the held side drops below exitEdge. Signal strength is |edge|.
 */
export class PredictorStrategy implements Strategy {
  readonly id: string;
  readonly warmupBars: number;
  readonly symbols?: readonly string[];
  private readonly predict: Predictor;
  private readonly entryEdge: number;
  private readonly exitEdge: number;
  private readonly minConfidence: number;
  private readonly allowShort: boolean;
  private readonly state = new Map<string, { history: Bar[]; regime: Regime }>();

  constructor(options: PredictorStrategyOptions) {
    this.predict = options.predict;
    this.warmupBars = options.historyBars ?? 60;
    this.entryEdge = options.entryEdge ?? 0.2;
    this.exitEdge = options.exitEdge ?? 0;
    this.minConfidence = options.minConfidence ?? 0;
    this.allowShort = options.allowShort === true;
    const problems = [];
    if (typeof this.predict !== 'function') problems.push({ field: 'predict', message: 'must be a function' });
    if (!Number.isInteger(this.warmupBars) || this.warmupBars < 1) {
      problems.push({ field: 'historyBars', message: 'must be an integer >= 1', value: this.warmupBars });
    }
    if (!(this.entryEdge > 0 && this.entryEdge <= 1)) {
      problems.push({ field: 'entryEdge', message: 'must be in (0, 1]', value: this.entryEdge });
    }
    if (!(this.exitEdge >= -1 && this.exitEdge < this.entryEdge)) {
      problems.push({ field: 'exitEdge', message: 'must be in [-1, entryEdge)', value: this.exitEdge });
    }
    if (problems.length > 0) throw new ValidationError('predictor strategy', problems);
    this.id = `predictor(${options.name ?? 'model'})`;
    if (options.symbols !== undefined) this.symbols = options.symbols;
  }

  async onBar(bar: Bar, context: StrategyContext): Promise<Signal[]> {
    let s = this.state.get(bar.symbol);
    if (s === undefined) {
      s = { history: [], regime: 'flat' };
      this.state.set(bar.symbol, s);
    }
    s.history.push(bar);
    if (s.history.length > this.warmupBars) s.history.shift();
    if (s.history.length < this.warmupBars) return [];
    const prediction = await this.predict(bar, s.history);
    if (prediction === undefined) return [];
    if (prediction.confidence !== undefined && prediction.confidence < this.minConfidence) return [];
    const edge = prediction.probabilities.up - prediction.probabilities.down;
    let next = s.regime;
    if (edge >= this.entryEdge) next = 'long';
    else if (edge <= -this.entryEdge && this.allowShort) next = 'short';
    else if (s.regime === 'long' && edge < this.exitEdge) next = 'flat';
    else if (s.regime === 'short' && -edge < this.exitEdge) next = 'flat';
    if (next === s.regime) return [];
    s.regime = next;
    const model = prediction.model === undefined ? '' : ` (${prediction.model})`;
    return [
      regimeSignal(
        this.id,
        bar,
        context.now,
        next,
        `edge P(up) − P(down) = ${edge.toFixed(4)}${model}`,
        Math.abs(edge),
      ),
    ];
  }
}
