import type { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { apiKeyId, apiKeyProblem, type SessionApiKey } from '../api/session-api-key';
import type { ApiKeyIdentity } from '../api/wire-types';
import { h } from '../ui/dom';

const KEY_ROUTE = '/api/v1/auth/key';

/** The server's own words for a refused key (401), or the whole failure when the check itself went wrong. */
function refusal(error: unknown): { refused: boolean; message: string } {
  if (error instanceof ApiError && error.status === 401) return { refused: true, message: error.detail };
  return { refused: false, message: error instanceof Error ? error.message : String(error) };
}

/**
 * The header's API-key entry: a password field with "Use key" and "Forget", and which key is in use (its public id,
 * scope and name — never the key). A typed key is kept only once `GET /api/v1/auth/key` has accepted it, with the
 * scope the server gave; a kept key is checked again when the page loads, and dropped if the server no longer accepts
 * it. The field is emptied once the key is taken, so the page does not keep showing it. `data-key` on the form is
 * `set`, `unset` or `checking` (a check is on its way).
 */
export class ApiKeyEntry {
  private readonly input: HTMLInputElement;
  private readonly useButton: HTMLButtonElement;
  private readonly forget: HTMLButtonElement;
  private readonly state: HTMLElement;
  private readonly problem: HTMLElement;
  /** The id of the key being checked, if any. */
  private checking: string | undefined;
  /** Only the newest check counts: Forget, or another key entered meanwhile, makes an older answer moot. */
  private checks = 0;

  constructor(
    private readonly form: HTMLFormElement,
    private readonly apiKey: SessionApiKey,
    private readonly api: ApiClient,
  ) {
    this.input = h('input', {
      type: 'password',
      name: 'api-key',
      placeholder: 'rrr_…',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-label': 'API key',
    });
    this.useButton = h('button', { type: 'submit', name: 'use' }, 'Use key');
    this.forget = h('button', { type: 'button', name: 'forget' }, 'Forget');
    this.state = h('span', { class: 'api-key-state', 'aria-live': 'polite' });
    this.problem = h('span', { class: 'api-key-problem', role: 'alert', hidden: true });
    form.replaceChildren(h('label', {}, 'API key', this.input), this.useButton, this.forget, this.state, this.problem);
    form.addEventListener('submit', (event) => {
      // The page never navigates (and its policy allows no form target): the key stays in this tab.
      event.preventDefault();
      void this.use();
    });
    this.forget.addEventListener('click', () => {
      this.checks++;
      this.checking = undefined;
      this.showProblem(undefined);
      apiKey.forget();
    });
    apiKey.onChange(() => this.render());
    this.render();
    void this.recheck();
  }

  /**
   * Asks the server about `token`; undefined when a newer check or Forget has overtaken this one. The caller applies
   * the answer and ends the check (`settled`) in one step, so the header never shows a state in between.
   */
  private async check(token: string): Promise<{ identity?: ApiKeyIdentity; error?: unknown } | undefined> {
    const check = ++this.checks;
    this.checking = apiKeyId(token);
    this.render();
    let answer: { identity?: ApiKeyIdentity; error?: unknown };
    try {
      answer = { identity: await this.api.getWithKey<ApiKeyIdentity>(KEY_ROUTE, token) };
    } catch (error) {
      answer = { error };
    }
    if (check !== this.checks) return undefined;
    this.checking = undefined;
    return answer;
  }

  private async use(): Promise<void> {
    const token = this.input.value.trim();
    const problem = apiKeyProblem(token);
    this.showProblem(problem);
    if (problem !== undefined) return;
    const answer = await this.check(token);
    if (answer === undefined) return;
    if (answer.identity === undefined) {
      const { refused, message } = refusal(answer.error);
      this.showProblem(refused ? `API key refused: ${message}` : message);
    } else {
      try {
        this.apiKey.use(token, answer.identity);
        this.input.value = '';
      } catch (error) {
        this.showProblem((error as Error).message);
      }
    }
    this.render();
  }

  /** A key kept from earlier in this tab may have been revoked since. */
  private async recheck(): Promise<void> {
    const token = this.apiKey.value;
    const keyId = this.apiKey.keyId;
    if (token === undefined) return;
    const answer = await this.check(token);
    if (answer === undefined) return;
    if (answer.identity !== undefined) {
      this.apiKey.use(token, answer.identity);
    } else {
      const { refused, message } = refusal(answer.error);
      if (refused) {
        this.apiKey.forget();
        this.showProblem(`API key ${keyId ?? ''} dropped: ${message}`);
      } else {
        // The server judges the key on each call anyway: keep it rather than lose it to a passing network fault.
        this.showProblem(`could not check the kept API key: ${message}`);
      }
    }
    this.render();
  }

  private showProblem(message: string | undefined): void {
    this.problem.hidden = message === undefined;
    this.problem.textContent = message ?? '';
  }

  private render(): void {
    const keyId = this.apiKey.keyId;
    if (this.checking !== undefined) {
      this.form.dataset['key'] = 'checking';
      this.state.textContent = `checking key ${this.checking}…`;
    } else if (keyId === undefined) {
      this.form.dataset['key'] = 'unset';
      this.state.textContent = 'no key: controls disabled';
    } else {
      this.form.dataset['key'] = 'set';
      this.state.textContent = `key ${keyId} · ${this.apiKey.scope ?? ''} (${this.apiKey.name ?? ''})`;
    }
    this.useButton.disabled = this.checking !== undefined;
    this.forget.disabled = keyId === undefined && this.checking === undefined;
  }
}
