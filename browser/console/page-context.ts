/** What every page gets from the shell. */
import type { ConsoleConfig } from '../../shared/console/console-config';
import type { ApiClient } from './api-client';
import type { SessionStore } from './session-store';

export interface PageContext {
  readonly api: ApiClient;
  readonly config: ConsoleConfig;
  readonly session: SessionStore;
  /** Goes to a hash route, e.g. `#/sites/depot-1`. */
  navigate(hash: string): void;
  /** Epoch ms. */
  now(): number;
}

/** A page: a title for the document and the heading, and its content (filled in as data arrives). */
export interface Page {
  readonly title: string;
  readonly node: HTMLElement;
}
