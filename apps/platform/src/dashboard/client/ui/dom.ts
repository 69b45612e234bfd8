type Child = Node | string | number | null | undefined | false;

/** `h('td', { class: 'up' }, '1.00')`: an element with attributes and children (strings become text, never HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export interface Column<T> {
  title: string;
  /** Text, or an element such as a row's button. */
  cell: (row: T) => string | Node;
  /** A CSS class for the cell (e.g. up/down). */
  className?: (row: T) => string;
  text?: boolean;
}

export interface TableOptions<T> {
  /** Shown instead of the table when there are no rows. */
  empty: string;
  rowKey?: (row: T) => string;
  onSelect?: (row: T) => void;
  selectedKey?: string;
}

/** A scrolling table of `rows`, or the `empty` sentence. */
export function renderTable<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  options: TableOptions<T>,
): HTMLElement {
  if (rows.length === 0) return h('div', { class: 'empty' }, options.empty);
  const head = h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c.title)));
  const body = h('tbody');
  for (const row of rows) {
    const key = options.rowKey?.(row);
    const classes = [
      options.onSelect ? 'selectable' : '',
      key !== undefined && key === options.selectedKey ? 'selected' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const tr = h('tr', { class: classes || undefined, 'data-key': key });
    for (const column of columns) {
      const className = [column.text ? 'text' : '', column.className?.(row) ?? ''].filter(Boolean).join(' ');
      tr.append(h('td', { class: className || undefined }, column.cell(row)));
    }
    const select = options.onSelect;
    if (select) {
      tr.tabIndex = 0;
      tr.addEventListener('click', () => select(row));
      tr.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') select(row);
      });
    }
    body.append(tr);
  }
  return h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, head), body));
}
