/** Small DOM helpers: elements, semantic tables, the page's status line. */

type Child = Node | string | number | null | undefined;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) {
    if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} missing`);
  return found as T;
};

export interface Column<Row> {
  label: string;
  value: (row: Row) => Child;
  numeric?: boolean;
  /** A class for the cell (e.g. `dropped`). */
  className?: (row: Row) => string | null;
}

/** A <table> with a caption, a header row (scope=col) and one row per item. */
export function table<Row>(caption: string, columns: Column<Row>[], rows: Row[]): HTMLTableElement {
  const head = el(
    'tr',
    {},
    ...columns.map((c) => el('th', { scope: 'col', class: c.numeric ? 'num' : '' }, c.label)),
  );
  const body = rows.map((row) =>
    el(
      'tr',
      {},
      ...columns.map((c) => {
        const classes = [c.numeric ? 'num' : '', c.className?.(row) ?? '']
          .filter(Boolean)
          .join(' ');
        return el('td', classes ? { class: classes } : {}, c.value(row));
      }),
    ),
  );
  return el(
    'table',
    {},
    el('caption', {}, caption),
    el('thead', {}, head),
    el('tbody', {}, ...body),
  );
}

/** Replaces a container's content. */
export function fill(container: HTMLElement, ...children: Node[]): void {
  container.replaceChildren(...children);
}

export function setStatus(text: string, error = false): void {
  const status = document.getElementById('status');
  if (!status) return;
  status.textContent = text;
  status.classList.toggle('error', error);
}

export const fixed = (n: number | null | undefined, digits = 3) =>
  n === null || n === undefined ? '–' : n.toFixed(digits);

/** The page's parameters (data-* of <main>). */
export const pageData = () => byId('page').dataset;
