/** A tiny DOM builder: `el('button', { type: 'button', onclick }, 'Save')`. */

type Child = Node | string | number | null | undefined | false;
type Handler<E extends Event> = (event: E) => void;

export interface Attributes {
  readonly [name: string]: string | number | boolean | null | undefined | Handler<Event>;
}

/** Creates an element; `on*` functions become listeners, `true` is a bare attribute, null/undefined/false are skipped. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  append(node, ...children);
  return node;
}

let nextId = 0;
/** A document-unique id for label/aria wiring. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${++nextId}`;
}
