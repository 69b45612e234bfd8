import type { SessionApiKey } from '../api/session-api-key';
import { h } from '../ui/dom';

/**
 * The header's API-key entry: a password field with "Use key" and "Forget", and whether a key is in use (by its
 * public id only). The key goes to SessionApiKey; the field is emptied once it is taken, so the page does not keep
 * showing it. `data-key` on the form is `set` or `unset`.
 */
export class ApiKeyEntry {
  private readonly input: HTMLInputElement;
  private readonly forget: HTMLButtonElement;
  private readonly state: HTMLElement;
  private readonly problem: HTMLElement;

  constructor(
    private readonly form: HTMLFormElement,
    private readonly apiKey: SessionApiKey,
  ) {
    this.input = h('input', {
      type: 'password',
      name: 'api-key',
      placeholder: 'rrr_…',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-label': 'API key',
    });
    this.forget = h('button', { type: 'button', name: 'forget' }, 'Forget');
    this.state = h('span', { class: 'api-key-state', 'aria-live': 'polite' });
    this.problem = h('span', { class: 'api-key-problem', role: 'alert', hidden: true });
    form.replaceChildren(
      h('label', {}, 'API key', this.input),
      h('button', { type: 'submit', name: 'use' }, 'Use key'),
      this.forget,
      this.state,
      this.problem,
    );
    form.addEventListener('submit', (event) => {
      // The page never navigates (and its policy allows no form target): the key stays in this tab.
      event.preventDefault();
      this.use();
    });
    this.forget.addEventListener('click', () => {
      this.showProblem(undefined);
      apiKey.forget();
    });
    apiKey.onChange(() => this.render());
    this.render();
  }

  private use(): void {
    try {
      this.apiKey.use(this.input.value);
      this.input.value = '';
      this.showProblem(undefined);
    } catch (error) {
      this.showProblem((error as Error).message);
    }
  }

  private showProblem(message: string | undefined): void {
    this.problem.hidden = message === undefined;
    this.problem.textContent = message ?? '';
  }

  private render(): void {
    const keyId = this.apiKey.keyId;
    this.form.dataset['key'] = keyId === undefined ? 'unset' : 'set';
    this.state.textContent = keyId === undefined ? 'no key: controls disabled' : `key ${keyId} in use`;
    this.forget.disabled = keyId === undefined;
  }
}
