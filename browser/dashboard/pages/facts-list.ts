/** A definition list of label/value pairs (the cluster facts, a charger's details). */
import { el } from '../../ui/element';

export type Fact = readonly [label: string, value: Node | string | number];

export function factsList(facts: readonly Fact[], testId?: string): HTMLElement {
  return el(
    'dl',
    { class: 'facts', 'data-testid': testId },
    ...facts.flatMap(([label, value]) => [el('dt', {}, label), el('dd', {}, value)]),
  );
}
