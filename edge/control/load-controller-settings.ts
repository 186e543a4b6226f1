/**
 * What a LoadController is built from: its ports (deps), the log slice it writes to and its settings. Their own file so
 * the composition roots, the harnesses and the loop's parts can name them without reaching into the loop itself.
 */
import type { AllocateFn } from '../../shared/allocation/allocation-types';
import type { Clock } from '../platform/clock';
import type {
  AdoptedConnectorStore,
  ControlObserver,
  ControlStateStore,
  LeaseSender,
  SessionStore,
} from './control-ports';
import type { DispatchSettings } from './lease-dispatcher';
import type { SiteRuntime } from './site-runtime';

/** The slice of a pino logger the loop uses. */
export interface ControlLog {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}

export interface LoadControllerDeps {
  readonly runtime: SiteRuntime;
  readonly clock: Clock;
  readonly sender: LeaseSender;
  readonly sessions: SessionStore;
  readonly state: ControlStateStore;
  readonly adopted: AdoptedConnectorStore;
  readonly observer: ControlObserver;
  readonly log: ControlLog;
  readonly allocate?: AllocateFn;
}

export interface LoadControllerSettings extends DispatchSettings {
  readonly debounceMs: number;
  readonly tickMs: number;
  readonly saveEnergyEverySeconds: number;
  /** The longest a car takes to follow a lower limit (dynamic mode's estimate of each car's draw at a meter's instant). */
  readonly carResponseMs: number;
}
