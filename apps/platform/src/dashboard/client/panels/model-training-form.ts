import type { ApiClient } from '../api/api-client';
import type { FieldProblem } from '../api/api-error';
import type { SessionApiKey } from '../api/session-api-key';
import { keyScopeProblem, setAvailability } from '../ui/button-availability';
import { h } from '../ui/dom';
import { submitJob, type JobFormState } from '../ui/job-submission';
import { showFieldProblems } from '../ui/field-problems';
import type { ChartTarget } from './candles-panel';
import { defaultTrainingHorizon, trainingHorizons } from './model-training-defaults';
import { ModelTrainingJobProgress, type TrainingJobState, type TrainingSubmitted } from './model-training-job-progress';

const TRAINING_PATH = '/api/v1/models/training';
/** The predictor kinds training takes; logistic trains in about a second, the networks take longer. */
const KINDS = ['logistic', 'mlp', 'lstm', 'ensemble'] as const;
/** Jobs shown at once: older ones have ended, and their models are listed by the API. */
const SHOWN_JOBS = 3;

/**
 * "Train a model" for the charted symbol: kind and label horizon (the other options take `rrr model train`'s
 * defaults, and the new version is activated). Train sends `POST /api/v1/models/training` with the entered API key —
 * disabled, its title and the note under it saying why, without a key or with one below trade scope. A refusal is
 * listed problem by problem with the field the API named, and the fields it names are marked; an accepted job is
 * shown with its progress (stage, epoch) and a Cancel button until it ends, then `onEnd` gets its last state. The
 * running platform serves an activated model at once, so its predictions follow at the symbol's next bars. The form's
 * `data-state` is idle, submitting, refused or submitted.
 */
export class ModelTrainingForm {
  readonly element: HTMLFormElement;
  private readonly symbol: HTMLOutputElement;
  private readonly kind: HTMLSelectElement;
  private readonly horizon: HTMLSelectElement;
  private readonly train: HTMLButtonElement;
  private readonly note: HTMLElement;
  private readonly problems: HTMLUListElement;
  private readonly jobs: HTMLElement;
  private target: ChartTarget | undefined;
  private submitting = false;

  constructor(
    private readonly api: ApiClient,
    private readonly apiKey: SessionApiKey,
    private readonly onEnd: (state: TrainingJobState) => void,
  ) {
    this.symbol = h('output', { name: 'symbol', class: 'form-value' });
    this.kind = h('select', { name: 'kind' }, ...KINDS.map((kind) => h('option', { value: kind }, kind)));
    this.horizon = h('select', { name: 'horizon', title: 'how far ahead the model predicts' });
    this.train = h('button', { type: 'submit', name: 'train' }, 'Train');
    this.note = h('p', { class: 'form-hint' });
    this.problems = h('ul', { class: 'form-problems', role: 'alert', hidden: true });
    this.jobs = h('div', { class: 'job-watches', 'aria-live': 'polite' });
    const field = (label: string, control: HTMLElement) => h('label', { class: 'form-field' }, label, control);
    this.element = h(
      'form',
      { class: 'training-form', 'aria-label': 'Train a model', autocomplete: 'off', novalidate: true },
      h('h3', {}, 'Train a model'),
      h(
        'div',
        { class: 'form-row' },
        field('Symbol', this.symbol),
        field('Kind', this.kind),
        field('Horizon', this.horizon),
        this.train,
      ),
      this.note,
      this.problems,
      this.jobs,
    );
    this.element.addEventListener('submit', (event) => {
      // The page never navigates (its policy allows no form target): the request goes over fetch.
      event.preventDefault();
      void this.submit();
    });
    apiKey.onChange(() => this.updateTrain());
    this.setState('idle');
    this.updateTrain();
  }

  /** Trains for `target` from now on: its symbol and interval, the horizons its bars can learn. */
  show(target: ChartTarget): void {
    this.target = target;
    this.symbol.value = `${target.symbol} (${target.interval})`;
    const horizons = trainingHorizons(target.interval);
    this.horizon.replaceChildren(...horizons.map((horizon) => h('option', { value: horizon }, `${horizon} ahead`)));
    const preferred = defaultTrainingHorizon(target.interval);
    if (preferred !== undefined && horizons.includes(preferred)) this.horizon.value = preferred;
    this.showProblems([]);
    this.updateTrain();
  }

  private updateTrain(): void {
    const reasons = [
      keyScopeProblem(this.apiKey.scope, 'trade', 'training a model'),
      this.target === undefined && 'no symbol chosen',
      this.target !== undefined &&
        this.horizon.options.length === 0 &&
        `${this.target.interval} bars have no horizon to learn with a default threshold`,
      this.submitting && 'the training request is on its way',
    ];
    setAvailability(this.train, reasons, 'train, register and activate a model for this symbol (trade)');
    // The reason in words under the form too: a title is only seen by hovering.
    const reason = reasons.find((r): r is string => typeof r === 'string' && r !== '' && !this.submitting);
    this.note.textContent =
      reason === undefined
        ? 'Other options take their defaults; the new version is activated and served without a restart.'
        : `Train is unavailable: ${reason}.`;
    this.note.dataset['reason'] = reason === undefined ? '' : 'unavailable';
  }

  private setState(state: JobFormState): void {
    this.element.dataset['state'] = state;
  }

  private async submit(): Promise<void> {
    const target = this.target;
    if (this.submitting || this.train.disabled || target === undefined) return;
    const request = {
      symbol: target.symbol,
      interval: target.interval,
      kind: this.kind.value,
      horizon: this.horizon.value,
    };
    const label = `${request.kind} · ${request.symbol} · ${request.horizon} ahead`;
    await submitJob({
      send: () => this.api.send<TrainingSubmitted>('POST', TRAINING_PATH, request),
      watch: (job) => new ModelTrainingJobProgress(job, label, this.api, this.apiKey, this.onEnd).element,
      jobs: this.jobs,
      shown: SHOWN_JOBS,
      setState: (state) => this.setState(state),
      showProblems: (problems) => this.showProblems(problems),
      setBusy: (busy) => {
        this.submitting = busy;
        this.updateTrain();
      },
    });
  }

  private showProblems(problems: readonly FieldProblem[]): void {
    showFieldProblems(this.problems, [this.symbol, this.kind, this.horizon], problems);
  }
}
