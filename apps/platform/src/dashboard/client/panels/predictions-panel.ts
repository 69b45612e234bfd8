import { query, type ApiClient } from '../api/api-client';
import type { SessionApiKey } from '../api/session-api-key';
import type { ItemList, ModelSummary, Prediction, PredictionProbabilities, PredictionRow } from '../api/wire-types';
import { intervalNamed } from '../charts/interval-ms';
import type { LiveSocket } from '../live/live-socket';
import { h, renderTable, type Column } from '../ui/dom';
import { DASH, formatProbability, formatTime } from '../ui/format';
import { PanelFrame } from '../ui/panel';
import type { ChartTarget } from './candles-panel';
import { trainCommand } from './model-training-defaults';
import { ModelTrainingForm } from './model-training-form';

/** Enough of the newest stored predictions to hold the latest of every model serving one symbol. */
const LIMIT = 100;

/** A model's prediction as the panel shows it, from `GET /api/v1/predictions` or the `predictions` channel. */
interface PredictionView {
  model: string;
  ts: number;
  /** An interval name (`15m`), or the length in ms when it is none. */
  horizon: string;
  predicted: string | null;
  probabilities: PredictionProbabilities | null;
  confidence: number | null;
}

function fromRow(row: PredictionRow): PredictionView {
  const horizon = row.horizonMs === null ? DASH : (intervalNamed(row.horizonMs) ?? `${row.horizonMs} ms`);
  return {
    model: row.model,
    ts: row.ts,
    horizon,
    predicted: row.predicted,
    probabilities: row.probabilities,
    confidence: row.confidence,
  };
}

function fromEvent(prediction: Prediction): PredictionView {
  const { model, ts, horizon, predicted, probabilities, confidence } = prediction;
  return { model, ts, horizon, predicted, probabilities, confidence };
}

const probability = (p: PredictionView, cls: keyof PredictionProbabilities) =>
  formatProbability(p.probabilities?.[cls]);

// Six narrow columns fit the panel's third of the page: when and how far ahead go under the model's name, and the
// class probabilities are headed by their class.
const COLUMNS: Column<PredictionView>[] = [
  {
    title: 'Model',
    cell: (p) =>
      h('span', {}, p.model, h('span', { class: 'cell-detail' }, `${p.horizon} ahead · ${formatTime(p.ts)}`)),
    text: true,
  },
  {
    title: 'Predicted',
    cell: (p) => p.predicted ?? DASH,
    className: (p) => (p.predicted === 'up' || p.predicted === 'down' ? `text ${p.predicted}` : 'text'),
  },
  { title: 'Down', cell: (p) => probability(p, 'down') },
  { title: 'Flat', cell: (p) => probability(p, 'flat') },
  { title: 'Up', cell: (p) => probability(p, 'up') },
  { title: 'Conf.', cell: (p) => formatProbability(p.confidence) },
];

/**
 * The latest prediction of each model for the charted symbol (`GET /api/v1/predictions`, then the `predictions`
 * channel for that symbol), or, with none, which models are active and how to train one; under them a form that
 * trains one for the symbol (ModelTrainingForm). When a job ends the active models are read again; the model's
 * predictions then arrive over the channel as the platform serves it.
 */
export class PredictionsPanel {
  private readonly frame: PanelFrame;
  /** The predictions table or the empty state; the training form stays below it. */
  private readonly content: HTMLElement;
  private readonly form: ModelTrainingForm;
  private target: ChartTarget | undefined;
  /** By model (`name@version`): its newest prediction for the target symbol. */
  private latest = new Map<string, PredictionView>();
  private activeModels: string[] = [];
  private generation = 0;

  constructor(
    mount: HTMLElement,
    private readonly api: ApiClient,
    private readonly live: LiveSocket,
    /** The page's key: the training form follows a key entered or changed on the page. */
    apiKey: SessionApiKey,
  ) {
    this.frame = new PanelFrame(mount, 'Model predictions');
    this.content = h('div', { class: 'predictions-content' });
    this.form = new ModelTrainingForm(api, apiKey, () => void this.load());
    this.frame.body.append(this.content, this.form.element);
    live.on('predictions', (prediction) => {
      if (prediction.symbol === this.target?.symbol && this.keep(fromEvent(prediction))) this.render();
    });
    live.onResync(() => void this.load());
  }

  /** Follows another symbol: its stored predictions, then its live ones. */
  async show(target: ChartTarget): Promise<void> {
    this.live.follow(['predictions'], this.target?.symbol, target.symbol);
    this.target = target;
    this.form.element.hidden = false;
    this.form.show(target);
    await this.load();
  }

  /** No symbol to follow: says why. */
  unavailable(reason: string): void {
    this.frame.setNote('no symbol');
    this.form.element.hidden = true;
    this.frame.fail(reason);
  }

  private async load(): Promise<void> {
    const target = this.target;
    if (!target) return;
    const generation = ++this.generation;
    this.frame.setNote(target.symbol);
    this.latest = new Map();
    this.activeModels = [];
    const [predictions, models] = await Promise.allSettled([
      this.api.get<ItemList<PredictionRow>>(`/api/v1/predictions${query({ symbol: target.symbol, limit: LIMIT })}`),
      this.api.get<ItemList<ModelSummary>>(`/api/v1/models${query({ symbol: target.symbol, status: 'active' })}`),
    ]);
    if (generation !== this.generation) return;
    const failures: unknown[] = [];
    if (predictions.status === 'fulfilled') for (const row of predictions.value.items) this.keep(fromRow(row));
    else failures.push(predictions.reason);
    if (models.status === 'fulfilled') this.activeModels = models.value.items.map((m) => m.modelId).sort();
    else failures.push(models.reason);
    this.render();
    if (failures.length > 0)
      this.frame.fail(failures.map((e) => (e instanceof Error ? e.message : String(e))).join('\n'));
    else this.frame.ok();
  }

  /** Keeps `prediction` when it is its model's newest; false otherwise. */
  private keep(prediction: PredictionView): boolean {
    const known = this.latest.get(prediction.model);
    if (known && known.ts >= prediction.ts) return false;
    this.latest.set(prediction.model, prediction);
    return true;
  }

  private render(): void {
    const target = this.target;
    if (!target) return;
    const rows = [...this.latest.values()].sort((a, b) => a.model.localeCompare(b.model));
    const data = this.frame.root.dataset;
    data['symbol'] = target.symbol;
    data['rows'] = String(rows.length);
    data['activeModels'] = String(this.activeModels.length);
    if (rows.length > 0) {
      this.content.replaceChildren(renderTable(rows, COLUMNS, { empty: '', rowKey: (p) => p.model }));
      this.frame.setNote(`${target.symbol} · latest per model · probabilities`);
      return;
    }
    this.frame.setNote(target.symbol);
    this.content.replaceChildren(this.emptyState(target));
  }

  /** Why there is nothing to show, and what to do about it. */
  private emptyState(target: ChartTarget): HTMLElement {
    // The platform checks the active models every few seconds: one trained and activated while it runs is served
    // without a restart.
    if (this.activeModels.length > 0) {
      const models = `${this.activeModels.length > 1 ? 'models' : 'model'} ${this.activeModels.join(', ')}`;
      return h(
        'div',
        { class: 'empty' },
        `No prediction for ${target.symbol} yet from the active ${models}: a served model predicts at each close ` +
          'of its bars, and one activated while the platform runs is served within seconds.',
      );
    }
    return h(
      'div',
      { class: 'empty' },
      `No model is active for ${target.symbol}. Train one below, or with `,
      h('code', {}, trainCommand(target)),
      ' (or --model mlp, lstm, ensemble): the running platform serves it within seconds of its activation, no restart needed.',
    );
  }
}
