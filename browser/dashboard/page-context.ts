/** What every dashboard page gets from the shell. */
import type { DashboardClient } from './dashboard-client';
import type { LiveUpdates } from './live-updates';

export interface PageContext {
  readonly api: DashboardClient;
  readonly live: LiveUpdates;
  /** Epoch ms. */
  now(): number;
}

/** A page: its title, its content (filled as data arrives) and what to stop when another page opens. */
export interface Page {
  readonly title: string;
  readonly node: HTMLElement;
  dispose?(): void;
}
