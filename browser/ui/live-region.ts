/** Announces async results to screen readers (and shows them) through one polite live region. */
import { el } from './element';

export interface LiveRegion {
  readonly node: HTMLElement;
  say(message: string, tone?: 'info' | 'ok' | 'error'): void;
}

export function liveRegion(testId?: string): LiveRegion {
  const node = el('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': testId });
  return {
    node,
    say: (message, tone = 'info') => {
      node.textContent = message;
      node.dataset.tone = tone;
    },
  };
}
