import type { FieldProblem } from '../api/api-error';
import { h } from './dom';

/**
 * The request field a form control stands for, when `field` (as the API names it: `params.fast`, `body.strategy`,
 * `body.symbols.0`) is that control's name or lies under it; `aliases` maps the API's other names for a control
 * (`symbol` for `symbols`).
 */
export function controlNameFor(
  field: string,
  names: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  const bare = field.replace(/^body[./]/, '');
  const head = /^[^./[]+/.exec(bare)?.[0] ?? bare;
  const named = aliases[head] === undefined ? bare : `${aliases[head]}${bare.slice(head.length)}`;
  return names.find((name) => named === name || (named.startsWith(name) && /^[./[]/.test(named.slice(name.length))));
}

/**
 * One list item per problem, `field: message` with the field as the API named it (`params.fast: must be < slow …`);
 * a problem with no field (the whole request refused) is its message alone.
 */
export function renderFieldProblems(problems: readonly FieldProblem[]): HTMLLIElement[] {
  return problems.map((p) =>
    p.field === ''
      ? h('li', {}, p.message)
      : h('li', { 'data-field': p.field }, h('span', { class: 'problem-field' }, p.field), ': ', p.message),
  );
}

/**
 * Shows a refusal's problems on a form: one `field: message` item each in `list` (hidden when there are none), and
 * `aria-invalid` on exactly the `controls` a problem names (by their `name`, see controlNameFor) — the styles outline
 * them, so the message and its field are read together.
 */
export function showFieldProblems(
  list: HTMLUListElement,
  controls: readonly HTMLElement[],
  problems: readonly FieldProblem[],
  aliases: Readonly<Record<string, string>> = {},
): void {
  const names = controls.map((c) => c.getAttribute('name') ?? '');
  const invalid = new Set(problems.map((p) => controlNameFor(p.field, names, aliases)));
  for (const control of controls) {
    if (invalid.has(control.getAttribute('name') ?? '')) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }
  list.replaceChildren(...renderFieldProblems(problems));
  list.hidden = problems.length === 0;
}
