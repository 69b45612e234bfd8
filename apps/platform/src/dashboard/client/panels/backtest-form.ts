import type { ApiClient } from '../api/api-client';
import type { FieldProblem } from '../api/api-error';
import type { SessionApiKey } from '../api/session-api-key';
import type {
  BacktestProgress,
  BacktestStrategyChoice,
  BacktestSubmitted,
  ItemList,
  StrategyParameterSpec,
} from '../api/wire-types';
import { keyScopeProblem, setAvailability } from '../ui/button-availability';
import { h } from '../ui/dom';
import { submitJob, type JobFormState } from '../ui/job-submission';
import { showFieldProblems } from '../ui/field-problems';
import { BacktestJobProgress } from './backtest-job-progress';

const BACKTESTS_PATH = '/api/v1/backtests';
const STRATEGIES_PATH = '/api/v1/backtests/strategies';
/** The daily series the platform bundles and loads on start. */
const SUGGESTED_SYMBOLS = ['SPX', 'AAPL'];
const SYMBOLS_LIST_ID = 'backtest-symbol-suggestions';
/** Jobs shown at once: older ones have ended and are in the runs list. */
const SHOWN_JOBS = 5;
const PARAM_PREFIX = 'params.';

/** `SPX, aapl` → `["SPX", "AAPL"]` (platform symbols are upper case). */
function symbolList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '');
}

/** A typed value as the parameter's type; anything else as typed, for the server to name the problem. */
function parameterValue(spec: StrategyParameterSpec, input: HTMLInputElement): number | boolean | string | undefined {
  if (spec.type === 'boolean') return input.checked;
  const text = input.value.trim();
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
}

function parameterInput(spec: StrategyParameterSpec): HTMLInputElement {
  const name = `${PARAM_PREFIX}${spec.name}`;
  if (spec.type === 'boolean') {
    const box = h('input', { type: 'checkbox', name });
    box.checked = spec.default === true;
    return box;
  }
  return h('input', {
    type: 'number',
    name,
    class: 'param',
    placeholder: String(spec.default),
    min: spec.min,
    max: spec.max,
    step: spec.type === 'integer' ? 1 : 'any',
    title: `${spec.description}; empty: ${String(spec.default)}`,
  });
}

/**
 * "New backtest": strategy, symbols (free text, SPX and AAPL suggested), from / to, and the chosen strategy's
 * parameters (empty fields take the strategy's defaults, shown greyed). Run sends `POST /api/v1/backtests` with the
 * entered API key — disabled without a key or with one below trade scope, its title saying why. A refusal is listed
 * under the form, problem by problem with the field the API named, and the fields it names are marked; an accepted
 * job is shown with its progress (and a Cancel button while it is queued or running) until it ends, then `onEnd` gets
 * its progress. The form's `data-state` is idle, submitting, refused or submitted.
 */
export class BacktestForm {
  readonly element: HTMLFormElement;
  private readonly strategy: HTMLSelectElement;
  private readonly symbols: HTMLInputElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly parameters: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly run: HTMLButtonElement;
  private readonly problems: HTMLUListElement;
  private readonly jobs: HTMLElement;
  private parameterInputs = new Map<StrategyParameterSpec, HTMLInputElement>();
  private submitting = false;
  /** The strategies the server runs, as it lists them; empty until read. */
  private choices: readonly BacktestStrategyChoice[] = [];

  constructor(
    private readonly api: ApiClient,
    private readonly apiKey: SessionApiKey,
    private readonly onEnd: (progress: BacktestProgress) => void,
  ) {
    this.strategy = h('select', { name: 'strategy' });
    this.symbols = h('input', {
      type: 'text',
      name: 'symbols',
      value: SUGGESTED_SYMBOLS[0],
      list: SYMBOLS_LIST_ID,
      placeholder: SUGGESTED_SYMBOLS.join(', '),
      spellcheck: 'false',
      title: 'one symbol, or several separated by commas',
    });
    this.from = h('input', { type: 'date', name: 'from', title: 'first day; empty: where the data starts' });
    this.to = h('input', { type: 'date', name: 'to', title: 'last day, included; empty: where the data ends' });
    this.parameters = h('span', { class: 'form-params' });
    this.hint = h('p', { class: 'form-hint' });
    this.run = h('button', { type: 'submit', name: 'run' }, 'Run');
    this.problems = h('ul', { class: 'form-problems', role: 'alert', hidden: true });
    this.jobs = h('div', { class: 'backtest-jobs', 'aria-live': 'polite' });
    const field = (label: string, control: HTMLElement) => h('label', { class: 'form-field' }, label, control);
    this.element = h(
      'form',
      { class: 'backtest-form', 'aria-label': 'New backtest', autocomplete: 'off', novalidate: true },
      h('h3', {}, 'New backtest'),
      h(
        'div',
        { class: 'form-row' },
        field('Strategy', this.strategy),
        field('Symbols', this.symbols),
        h('datalist', { id: SYMBOLS_LIST_ID }, ...SUGGESTED_SYMBOLS.map((s) => h('option', { value: s }))),
        field('From', this.from),
        field('To', this.to),
        this.parameters,
        this.run,
      ),
      this.hint,
      this.problems,
      this.jobs,
    );
    this.element.addEventListener('submit', (event) => {
      // The page never navigates (its policy allows no form target): the request goes over fetch.
      event.preventDefault();
      void this.submit();
    });
    this.strategy.addEventListener('change', () => this.showStrategy());
    apiKey.onChange(() => this.updateRun());
    this.setState('idle');
    this.updateRun();
  }

  /** Reads the strategies the server runs (names, parameters, defaults, bounds) into the form. */
  async load(): Promise<void> {
    try {
      this.choices = (await this.api.get<ItemList<BacktestStrategyChoice>>(STRATEGIES_PATH)).items;
    } catch (error) {
      this.showProblems([{ field: '', message: (error as Error).message }]);
      return;
    }
    this.strategy.replaceChildren(...this.choices.map((s) => h('option', { value: s.name }, s.name)));
    this.showStrategy();
    this.updateRun();
  }

  private chosen(): BacktestStrategyChoice | undefined {
    return this.choices.find((s) => s.name === this.strategy.value) ?? this.choices[0];
  }

  private showStrategy(): void {
    const strategy = this.chosen();
    if (strategy === undefined) return;
    this.parameterInputs = new Map(strategy.parameters.map((spec) => [spec, parameterInput(spec)]));
    this.parameters.replaceChildren(
      ...[...this.parameterInputs].map(([spec, input]) => h('label', { class: 'form-field' }, spec.name, input)),
    );
    this.hint.textContent = strategy.description;
  }

  private updateRun(): void {
    setAvailability(
      this.run,
      [
        keyScopeProblem(this.apiKey.scope, 'trade', 'starting a backtest'),
        this.choices.length === 0 && 'the strategies have not been read from the server yet',
        this.submitting && 'the backtest request is on its way',
      ],
      'queue this backtest (trade)',
    );
  }

  private setState(state: JobFormState): void {
    this.element.dataset['state'] = state;
  }

  /** The request body: only what the user gave, so the server's defaults (whole data range…) apply to the rest. */
  private request(): Record<string, unknown> {
    const params: Record<string, unknown> = {};
    for (const [spec, input] of this.parameterInputs) {
      const value = parameterValue(spec, input);
      if (value !== undefined) params[spec.name] = value;
    }
    const symbols = symbolList(this.symbols.value);
    return {
      strategy: this.strategy.value,
      ...(symbols.length === 0 ? {} : { symbols }),
      ...(this.from.value === '' ? {} : { from: this.from.value }),
      ...(this.to.value === '' ? {} : { to: this.to.value }),
      ...(Object.keys(params).length === 0 ? {} : { params }),
    };
  }

  private async submit(): Promise<void> {
    if (this.submitting || this.run.disabled) return;
    const request = this.request();
    const label = `${String(request['strategy'])} · ${symbolList(this.symbols.value).join(', ') || '—'}`;
    await submitJob({
      send: () => this.api.send<BacktestSubmitted>('POST', BACKTESTS_PATH, request),
      watch: (job) => new BacktestJobProgress(job, label, this.api, this.apiKey, this.onEnd).element,
      jobs: this.jobs,
      shown: SHOWN_JOBS,
      setState: (state) => this.setState(state),
      showProblems: (problems) => this.showProblems(problems),
      setBusy: (busy) => {
        this.submitting = busy;
        this.updateRun();
      },
    });
  }

  private controls(): HTMLElement[] {
    return [this.strategy, this.symbols, this.from, this.to, ...this.parameterInputs.values()];
  }

  private showProblems(problems: readonly FieldProblem[]): void {
    showFieldProblems(this.problems, this.controls(), problems, { symbol: 'symbols' });
  }
}
