import { h } from './dom';

export type PanelState = 'loading' | 'ready' | 'error';

/**
 * The frame every panel draws in: a title, a note (e.g. the last update), an error line that says what failed, and
 * a body. `data-state` on the section tells a reader (and the end-to-end test) whether the panel has loaded.
 */
export class PanelFrame {
  readonly body: HTMLElement;
  private readonly note: HTMLElement;
  private readonly error: HTMLElement;

  constructor(
    readonly root: HTMLElement,
    title: string,
  ) {
    this.note = h('span', { class: 'panel-note' });
    this.error = h('div', { class: 'panel-error', role: 'alert', hidden: true });
    this.body = h('div', { class: 'panel-body' });
    root.replaceChildren(h('div', { class: 'panel-head' }, h('h2', {}, title), this.note), this.error, this.body);
    root.setAttribute('aria-label', title);
    this.setState('loading');
  }

  setState(state: PanelState): void {
    this.root.dataset['state'] = state;
  }

  setNote(text: string): void {
    this.note.textContent = text;
  }

  /** Shows what failed (the panel keeps whatever it showed before). */
  fail(error: unknown): void {
    this.error.textContent = error instanceof Error ? error.message : String(error);
    this.error.hidden = false;
    this.setState('error');
  }

  ok(): void {
    this.error.hidden = true;
    this.error.textContent = '';
    this.setState('ready');
  }
}
