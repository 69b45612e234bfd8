import type { ApiClient } from '../api/api-client';
import type { FieldProblem } from '../api/api-error';
import type { SessionApiKey } from '../api/session-api-key';
import type {
  ItemList,
  OptimizationJob,
  OptimizationMethodCatalog,
  OptimizationMethodSpec,
  OptimizationRequestFieldSpec,
  SymbolListing,
} from '../api/wire-types';
import { keyScopeProblem, setAvailability } from '../ui/button-availability';
import { h } from '../ui/dom';
import { submitJob, type JobFormState } from '../ui/job-submission';
import { showFieldProblems } from '../ui/field-problems';
import { formatDate, formatNumber } from '../ui/format';
import { namedSymbols } from './optimization-figures';
import { OptimizationJobProgress } from './optimization-job-progress';

const OPTIMIZATIONS_PATH = '/api/v1/optimizations';
const METHODS_PATH = '/api/v1/optimizations/methods';
const SYMBOLS_PATH = '/api/v1/symbols';
/** The daily series the platform bundles: chosen to start with when they are stored. */
const SUGGESTED_SYMBOLS = ['SPX', 'AAPL'];
/** Jobs shown at once: older ones have ended and are in the runs list. */
const SHOWN_JOBS = 5;

/** A typed number as a number; anything else as typed, for the server to name the problem. */
function numberOrText(input: HTMLInputElement): number | string | undefined {
  const text = input.value.trim();
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
}

function jobLabel(method: string, symbols: readonly string[]): string {
  return `${method} · ${namedSymbols(symbols) || '—'}`;
}

/** `5,105 1d bars, 2000-01-03 … 2020-04-17`: what a symbol has stored at an interval. */
function seriesTitle(series: SymbolListing['intervals'][number]): string {
  return `${formatNumber(series.bars)} ${series.interval} bars, ${formatDate(series.firstTs)} … ${formatDate(series.lastTs)}`;
}

/** The inputs a method may leave unread (GET /api/v1/optimizations/methods lists the ones each reads). */
const METHOD_INPUTS = ['k', 'riskAversion', 'seed'] as const;

/** `exact: … — at most 20 assets (…); ignores seed`: what a method does, where it stops and what it does not read. */
function methodHint(method: OptimizationMethodSpec): string {
  const ignored = METHOD_INPUTS.filter((input) => !method.reads.includes(input));
  return `${method.description} — ${method.limits}${ignored.length > 0 ? `; ignores ${ignored.join(' and ')}` : ''}`;
}

/** A number input's bounds, greyed default and title as the route publishes its field. */
function describeInput(input: HTMLInputElement, spec: OptimizationRequestFieldSpec | undefined): void {
  if (spec === undefined) return;
  if (spec.min !== undefined) input.min = String(spec.min);
  if (spec.max !== undefined) input.max = String(spec.max);
  if (spec.default !== null) input.placeholder = String(spec.default);
  input.title = spec.default === null ? spec.description : `${spec.description}; empty: ${spec.default}`;
}

/**
 * "New optimisation": the symbols with bars stored at the chosen interval (`GET /api/v1/symbols`, one checkbox each,
 * SPX and AAPL ticked to start with), k, method, λ (risk aversion), seed, interval and from / to. The methods, the
 * intervals, each field's bounds and the defaults empty fields take (shown greyed; k: half the ticked symbols, rounded
 * up) come from `GET /api/v1/optimizations/methods`, the definitions the service checks requests against. Run sends
 * `POST /api/v1/optimizations` with the entered API key; without a key, or with one below trade scope, it is disabled
 * and a note under the form says why. A refusal is listed under the form problem by problem with the field the API
 * named, and the fields it names are marked; an accepted job is watched (OptimizationJobProgress) until it ends, then
 * `onEnd` gets it. The form's `data-state` is idle, submitting, refused or submitted.
 */
export class OptimizationForm {
  readonly element: HTMLFormElement;
  private readonly symbols: HTMLFieldSetElement;
  private readonly k: HTMLInputElement;
  private readonly method: HTMLSelectElement;
  private readonly riskAversion: HTMLInputElement;
  private readonly seed: HTMLInputElement;
  private readonly interval: HTMLSelectElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly hint: HTMLElement;
  private readonly run: HTMLButtonElement;
  private readonly availability: HTMLElement;
  private readonly problems: HTMLUListElement;
  private readonly jobs: HTMLElement;
  /** The stored series, as the server lists them; undefined until read. */
  private listings: readonly SymbolListing[] | undefined;
  /** The methods and request fields, as the server lists them; undefined until read. */
  private catalog: OptimizationMethodCatalog | undefined;
  /** Ticked symbols, kept across interval changes (a symbol hidden for lack of bars stays ticked for later). */
  private readonly ticked = new Set<string>();
  private submitting = false;

  constructor(
    private readonly api: ApiClient,
    private readonly apiKey: SessionApiKey,
    private readonly onEnd: (job: OptimizationJob) => void,
  ) {
    this.symbols = h('fieldset', { class: 'symbol-choices', name: 'symbols' }, h('legend', {}, 'Symbols'));
    // Options, bounds, defaults and titles arrive with the catalog (applyCatalog).
    this.k = h('input', { type: 'number', name: 'k', class: 'param', step: 1 });
    this.method = h('select', { name: 'method' });
    this.riskAversion = h('input', { type: 'number', name: 'riskAversion', class: 'param', step: 'any' });
    this.seed = h('input', { type: 'number', name: 'seed', class: 'param', step: 1 });
    this.interval = h('select', { name: 'interval' });
    this.from = h('input', { type: 'date', name: 'from', title: 'first bar used; empty: all stored bars' });
    this.to = h('input', { type: 'date', name: 'to', title: 'last day used, included; empty: all stored bars' });
    this.hint = h('p', { class: 'form-hint' });
    this.run = h('button', { type: 'submit', name: 'run' }, 'Run');
    this.availability = h('p', { class: 'form-availability', hidden: true });
    this.problems = h('ul', { class: 'form-problems', role: 'alert', hidden: true });
    this.jobs = h('div', { class: 'job-watches', 'aria-live': 'polite' });
    const field = (label: string, control: HTMLElement) => h('label', { class: 'form-field' }, label, control);
    this.element = h(
      'form',
      { class: 'optimization-form', 'aria-label': 'New optimisation', autocomplete: 'off', novalidate: true },
      h('h3', {}, 'New optimisation'),
      this.symbols,
      h(
        'div',
        { class: 'form-row' },
        field('Method', this.method),
        field('k', this.k),
        field('Risk aversion λ', this.riskAversion),
        field('Seed', this.seed),
        field('Interval', this.interval),
        field('From', this.from),
        field('To', this.to),
        this.run,
      ),
      this.hint,
      this.availability,
      this.problems,
      this.jobs,
    );
    this.element.addEventListener('submit', (event) => {
      // The page never navigates (its policy allows no form target): the request goes over fetch.
      event.preventDefault();
      void this.submit();
    });
    this.method.addEventListener('change', () => this.showMethod());
    this.interval.addEventListener('change', () => this.showSymbols());
    apiKey.onChange(() => this.updateRun());
    this.setState('idle');
    this.showMethod();
    this.showSymbols();
    this.updateRun();
  }

  /** Reads the methods and request fields, and the stored series (the symbols the form offers); says what failed. */
  async load(): Promise<void> {
    const [catalog, listings] = await Promise.allSettled([
      this.api.get<OptimizationMethodCatalog>(METHODS_PATH),
      this.api.get<ItemList<SymbolListing>>(SYMBOLS_PATH),
    ]);
    const failures = [catalog, listings].flatMap((read) =>
      read.status === 'rejected' ? [{ field: '', message: (read.reason as Error).message }] : [],
    );
    if (failures.length > 0) this.showProblems(failures);
    // The catalog first: the symbols offered are those with bars at its default interval.
    if (catalog.status === 'fulfilled') this.applyCatalog(catalog.value);
    if (listings.status === 'fulfilled') {
      this.listings = listings.value.items;
      const stored = new Set(this.listings.map((l) => l.symbol));
      for (const symbol of SUGGESTED_SYMBOLS) if (stored.has(symbol)) this.ticked.add(symbol);
    }
    this.showSymbols();
    this.updateRun();
  }

  /** Offers the catalog's methods and intervals, selects their defaults and gives each input its bounds and default. */
  private applyCatalog(catalog: OptimizationMethodCatalog): void {
    this.catalog = catalog;
    const field = (name: OptimizationRequestFieldSpec['name']) => catalog.fields.find((f) => f.name === name);
    this.method.replaceChildren(...catalog.items.map((m) => h('option', { value: m.id, title: methodHint(m) }, m.id)));
    const defaultMethod = field('method')?.default;
    if (typeof defaultMethod === 'string') this.method.value = defaultMethod;
    const interval = field('interval');
    this.interval.replaceChildren(...(interval?.choices ?? []).map((i) => h('option', { value: i }, i)));
    if (typeof interval?.default === 'string') this.interval.value = interval.default;
    describeInput(this.k, field('k'));
    describeInput(this.riskAversion, field('riskAversion'));
    describeInput(this.seed, field('seed'));
    this.showMethod();
  }

  private showMethod(): void {
    const method = this.catalog?.items.find((m) => m.id === this.method.value);
    this.hint.textContent = method === undefined ? '' : methodHint(method);
  }

  /** One checkbox per symbol with bars at the chosen interval, alphabetically. */
  private showSymbols(): void {
    const legend = this.symbols.querySelector('legend');
    if (this.listings === undefined) {
      this.symbols.replaceChildren(legend ?? '', h('span', { class: 'empty' }, 'reading the stored symbols…'));
      return;
    }
    const interval = this.interval.value;
    const offered = this.listings
      .flatMap((listing) => {
        const series = listing.intervals.find((i) => i.interval === interval && i.bars > 0);
        return series === undefined ? [] : [{ symbol: listing.symbol, series }];
      })
      .sort((a, b) => a.symbol.localeCompare(b.symbol));
    const boxes = offered.map(({ symbol, series }) => {
      const box = h('input', { type: 'checkbox', name: 'symbol', value: symbol });
      box.checked = this.ticked.has(symbol);
      box.addEventListener('change', () => {
        if (box.checked) this.ticked.add(symbol);
        else this.ticked.delete(symbol);
        this.showDefaultK();
      });
      return h('label', { class: 'symbol-choice', title: seriesTitle(series) }, box, symbol);
    });
    this.symbols.replaceChildren(
      legend ?? '',
      ...(boxes.length > 0 ? boxes : [h('span', { class: 'empty' }, `no symbol has ${interval} bars stored`)]),
    );
    this.showDefaultK();
  }

  /** The symbols ticked and shown (a ticked symbol without bars at the interval is not sent). */
  private chosenSymbols(): string[] {
    return [...this.symbols.querySelectorAll<HTMLInputElement>('input[name="symbol"]')]
      .filter((box) => box.checked)
      .map((box) => box.value);
  }

  /** k's placeholder is the route's default for the ticked symbols: half of them, rounded up (its k field says so). */
  private showDefaultK(): void {
    const count = this.chosenSymbols().length;
    this.k.placeholder = count === 0 ? '' : String(Math.max(1, Math.ceil(count / 2)));
  }

  private updateRun(): void {
    setAvailability(
      this.run,
      [
        keyScopeProblem(this.apiKey.scope, 'trade', 'starting an optimisation'),
        this.catalog === undefined && 'the optimisation methods have not been read from the server yet',
        this.listings === undefined && 'the stored symbols have not been read from the server yet',
        this.submitting && 'the optimisation request is on its way',
      ],
      'queue this optimisation (trade)',
    );
    // Said under the form too: a disabled button's title shows only on hover.
    this.availability.hidden = !this.run.disabled || this.submitting;
    this.availability.textContent = this.run.disabled ? `Run is disabled: ${this.run.title}` : '';
  }

  private setState(state: JobFormState): void {
    this.element.dataset['state'] = state;
  }

  /** The request body: what the user gave, so the route's defaults apply to the rest. */
  private request(): Record<string, unknown> {
    const k = numberOrText(this.k);
    const riskAversion = numberOrText(this.riskAversion);
    const seed = numberOrText(this.seed);
    return {
      symbols: this.chosenSymbols(),
      method: this.method.value,
      interval: this.interval.value,
      ...(k === undefined ? {} : { k }),
      ...(riskAversion === undefined ? {} : { riskAversion }),
      ...(seed === undefined ? {} : { seed }),
      ...(this.from.value === '' ? {} : { from: this.from.value }),
      // The last day is included whatever the interval: up to its last millisecond.
      ...(this.to.value === '' ? {} : { to: `${this.to.value}T23:59:59.999` }),
    };
  }

  private async submit(): Promise<void> {
    if (this.submitting || this.run.disabled) return;
    const request = this.request();
    const label = jobLabel(this.method.value, this.chosenSymbols());
    await submitJob({
      send: () => this.api.send<OptimizationJob>('POST', OPTIMIZATIONS_PATH, request),
      watch: (job) => new OptimizationJobProgress(job, label, this.api, this.apiKey, this.onEnd).element,
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

  private showProblems(problems: readonly FieldProblem[]): void {
    showFieldProblems(
      this.problems,
      [this.symbols, this.k, this.method, this.riskAversion, this.seed, this.interval, this.from, this.to],
      problems,
    );
  }
}
