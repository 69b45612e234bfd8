import type { ApiClient } from '../api/api-client';
import type { SessionApiKey } from '../api/session-api-key';
import type { CircuitBreakerView, KillSwitchOutcome, KillSwitchStatus } from '../api/wire-types';
import { debounce } from '../live/debounce';
import type { LiveSocket } from '../live/live-socket';
import { keyScopeProblem, setAvailability } from '../ui/button-availability';
import { h } from '../ui/dom';
import { formatTime } from '../ui/format';
import { PanelFrame } from '../ui/panel';
import { TwoStepButton } from '../ui/two-step-button';

const BREAKER_PATH = '/api/v1/risk/circuit-breaker';
const KILL_SWITCH_PATH = '/api/v1/risk/kill-switch';
/** Recorded with the switch's event (with the key's name), so the audit trail says where it came from. */
const KILL_SWITCH_REASON = 'engaged from the dashboard';
const BUSY = 'waiting for the answer to the last action';

type OutcomeKind = 'ok' | 'error';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function engagedOutcome(outcome: KillSwitchOutcome, flatten: boolean): { kind: OutcomeKind; text: string } {
  const parts = [`${plural(outcome.cancels, 'order')} cancelled`];
  if (flatten) parts.push(`${plural(outcome.flattenOrders, 'flatten order')} submitted`);
  const failed = outcome.failed.length > 0 ? `; failed: ${outcome.failed.join('; ')}` : '';
  return { kind: failed ? 'error' : 'ok', text: `Kill switch engaged: ${parts.join(', ')}${failed}` };
}

function breakerDetail(breaker: CircuitBreakerView): string {
  if (breaker.state !== 'halted') return 'trading allowed within the limits';
  const lifts =
    breaker.resetAt === null || breaker.resetAt === undefined
      ? 'needs a resume'
      : `lifts by itself at ${formatTime(breaker.resetAt)}`;
  return `${breaker.reason ?? breaker.rule ?? 'halted'} · since ${formatTime(breaker.since)} · ${lifts}`;
}

function killSwitchDetail(status: KillSwitchStatus): string {
  if (!status.engaged) return 'new exposure allowed';
  const reason = status.reason ? `: ${status.reason}` : '';
  return `since ${formatTime(status.engagedAt)} by ${status.by ?? 'unknown'}${reason}${status.flatten ? ' (flattened)' : ''}`;
}

/**
 * The platform's stop controls: the loss circuit breaker's and the kill switch's state
 * (`GET /api/v1/risk/circuit-breaker`, reloaded on every risk alert, which is how their transitions are announced,
 * and after each action), and buttons to engage the kill switch (two clicks, optionally flattening), release it, and
 * resume after a breaker halt — each an admin call with the entered API key (the buttons stay disabled for a key
 * whose scope is below admin), whose outcome or refusal the panel shows. The section's `data-breaker` and
 * `data-kill-switch` say what it last read.
 */
export class RiskControlsPanel {
  private readonly frame: PanelFrame;
  private readonly breakerState: HTMLElement;
  private readonly breakerDetail: HTMLElement;
  private readonly killSwitchState: HTMLElement;
  private readonly killSwitchDetail: HTMLElement;
  private readonly engage: TwoStepButton;
  private readonly flatten: HTMLInputElement;
  private readonly release: HTMLButtonElement;
  private readonly resume: HTMLButtonElement;
  private readonly outcome: HTMLElement;
  private breaker: CircuitBreakerView | undefined;
  private busy = false;
  /** Only the newest read is shown: an older answer arriving late must not undo a newer one. */
  private reads = 0;

  constructor(
    mount: HTMLElement,
    private readonly api: ApiClient,
    private readonly apiKey: SessionApiKey,
    live: LiveSocket,
  ) {
    this.frame = new PanelFrame(mount, 'Risk controls');
    const state = (label: string) => {
      const value = h('span', { class: 'control-value' }, '…');
      const detail = h('span', { class: 'control-detail' });
      return {
        value,
        detail,
        row: h('div', { class: 'control-state' }, h('span', { class: 'label' }, label), value, detail),
      };
    };
    const breaker = state('Circuit breaker');
    const killSwitch = state('Kill switch');
    this.breakerState = breaker.value;
    this.breakerDetail = breaker.detail;
    this.killSwitchState = killSwitch.value;
    this.killSwitchDetail = killSwitch.detail;

    this.engage = new TwoStepButton(
      'Kill switch',
      'Confirm kill switch',
      () => void this.engageKillSwitch(),
      5_000,
      'danger',
    );
    this.engage.element.name = 'kill-switch';
    this.flatten = h('input', { type: 'checkbox', name: 'flatten' });
    this.release = h('button', { type: 'button', name: 'release' }, 'Release kill switch');
    this.resume = h('button', { type: 'button', name: 'resume' }, 'Resume trading');
    this.release.addEventListener('click', () => void this.releaseKillSwitch());
    this.resume.addEventListener('click', () => void this.resumeTrading());
    this.outcome = h('div', { class: 'control-outcome', role: 'status', 'aria-live': 'polite', hidden: true });

    this.frame.body.append(
      h(
        'div',
        { class: 'risk-controls' },
        h('div', { class: 'control-states' }, breaker.row, killSwitch.row),
        h(
          'div',
          { class: 'control-actions' },
          this.engage.element,
          h('label', { class: 'control-option' }, this.flatten, 'also flatten positions'),
          this.release,
          this.resume,
        ),
      ),
      this.outcome,
    );

    const refresh = debounce(() => void this.load(), 300);
    live.on('alerts', refresh);
    live.onResync(refresh);
    apiKey.onChange(() => this.updateButtons());
    this.updateButtons();
  }

  async load(): Promise<void> {
    const read = ++this.reads;
    try {
      const breaker = await this.api.get<CircuitBreakerView>(BREAKER_PATH);
      if (read !== this.reads) return;
      this.breaker = breaker;
      this.renderState();
      this.frame.setNote(`read ${formatTime(Date.now())}`);
      this.frame.ok();
    } catch (error) {
      if (read !== this.reads) return;
      this.frame.fail(error);
    }
  }

  private renderState(): void {
    const breaker = this.breaker;
    if (breaker === undefined) return;
    const killSwitch = breaker.killSwitch.engaged ? 'engaged' : 'released';
    this.breakerState.textContent = breaker.state;
    this.breakerState.dataset['state'] = breaker.state;
    this.breakerDetail.textContent = breakerDetail(breaker);
    this.killSwitchState.textContent = killSwitch;
    this.killSwitchState.dataset['state'] = killSwitch;
    this.killSwitchDetail.textContent = killSwitchDetail(breaker.killSwitch);
    this.frame.root.dataset['breaker'] = breaker.state;
    this.frame.root.dataset['killSwitch'] = killSwitch;
    this.updateButtons();
  }

  /**
   * Without an admin key nothing can be sent (the kept key's scope says so before the server would); release and
   * resume also wait for something to release or resume.
   */
  private updateButtons(): void {
    const scope = this.apiKey.scope;
    const busy = this.busy && BUSY;
    const breaker = this.breaker;
    setAvailability(
      this.engage.element,
      [keyScopeProblem(scope, 'admin', 'the kill switch'), busy],
      'cancels every working order and blocks new exposure until released (admin); click twice',
    );
    if (this.engage.element.disabled) this.engage.disarm();
    this.flatten.disabled = this.engage.element.disabled;
    setAvailability(
      this.release,
      [
        keyScopeProblem(scope, 'admin', 'releasing the kill switch'),
        busy,
        breaker?.killSwitch.engaged === false && 'the kill switch is not engaged',
      ],
      'allows new exposure again (admin)',
    );
    setAvailability(
      this.resume,
      [
        keyScopeProblem(scope, 'admin', 'resuming trading'),
        busy,
        breaker?.state === 'armed' && 'the circuit breaker is armed: trading is not halted',
      ],
      'lifts a circuit-breaker halt once the loss is back under its limit (admin)',
    );
  }

  private engageKillSwitch(): Promise<void> {
    const flatten = this.flatten.checked;
    return this.act(async () => {
      const outcome = await this.api.send<KillSwitchOutcome>('POST', KILL_SWITCH_PATH, {
        reason: KILL_SWITCH_REASON,
        flatten,
      });
      return engagedOutcome(outcome, flatten);
    });
  }

  private releaseKillSwitch(): Promise<void> {
    return this.act(async () => {
      await this.api.send<KillSwitchStatus>('POST', `${KILL_SWITCH_PATH}/release`, {});
      return { kind: 'ok', text: 'Kill switch released: new exposure allowed again' };
    });
  }

  private resumeTrading(): Promise<void> {
    return this.act(async () => {
      const breaker = await this.api.send<CircuitBreakerView>('POST', `${BREAKER_PATH}/resume`, {});
      return { kind: 'ok', text: `Trading resumed: circuit breaker ${breaker.state}` };
    });
  }

  /** Runs one action at a time, shows what came of it (the server's refusal included), then reads the state again. */
  private async act(action: () => Promise<{ kind: OutcomeKind; text: string }>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.updateButtons();
    try {
      const { kind, text } = await action();
      this.showOutcome(kind, text);
    } catch (error) {
      this.showOutcome('error', error instanceof Error ? error.message : String(error));
    } finally {
      this.busy = false;
      this.updateButtons();
    }
    await this.load();
  }

  private showOutcome(kind: OutcomeKind, text: string): void {
    this.outcome.hidden = false;
    this.outcome.dataset['kind'] = kind;
    this.outcome.textContent = `${formatTime(Date.now())} ${text}`;
  }
}
