import { h } from './dom';

/**
 * A button that acts only on a second click within `windowMs` of the first: the first click arms it (its label asks
 * for confirmation), and it disarms by itself when the window passes. A page-blocking `confirm()` would stop the live
 * updates the user is deciding on.
 */
export class TwoStepButton {
  readonly element: HTMLButtonElement;
  private timer: number | undefined;

  constructor(
    private readonly label: string,
    private readonly confirmLabel: string,
    private readonly onConfirm: () => void,
    private readonly windowMs = 5_000,
    className = '',
  ) {
    this.element = h('button', { type: 'button', class: className || undefined }, label);
    this.element.addEventListener('click', () => (this.armed ? this.confirm() : this.arm()));
  }

  get armed(): boolean {
    return this.timer !== undefined;
  }

  disarm(): void {
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
    this.element.textContent = this.label;
    delete this.element.dataset['armed'];
  }

  private arm(): void {
    this.element.textContent = this.confirmLabel;
    this.element.dataset['armed'] = 'true';
    this.timer = window.setTimeout(() => this.disarm(), this.windowMs);
  }

  private confirm(): void {
    this.disarm();
    this.onConfirm();
  }
}
