/**
 * Every transaction is controlled: a connector a listed charger reports that the site file does not list is adopted
 * under that charger (and remembered across restarts), or refused with a reason when that cannot be done safely.
 */
import { englishMessage, type MessageRef } from '../../shared/server-messages';
import { formatConnectorRef } from '../../shared/site/connector-ref';
import { decideAdoption } from './adoption-rules';
import type { AdoptedConnectorStore, ControlObserver } from './control-ports';
import type { SiteRuntime } from './site-runtime';

export interface ConnectorAdoptionDeps {
  readonly runtime: SiteRuntime;
  readonly store: AdoptedConnectorStore;
  readonly observer: ControlObserver;
  readonly log: { info(data: object, message: string): void; warn(data: object, message: string): void };
  /** Runs after each adoption: whoever built something from the site builds it again from `runtime.site`. */
  readonly onAdopted: () => void;
}

/** Adopts, remembers and refuses connectors; says each time what it did in the log and as a control event. */
export class ConnectorAdoption {
  /** Each charger's `NumberOfConnectors`, as it reported at boot. */
  private readonly reported = new Map<string, number>();
  /** Connectors already refused on a StatusNotification: a charger repeats them, the log need not. */
  private readonly refusedStatus = new Set<string>();

  constructor(private readonly deps: ConnectorAdoptionDeps) {}

  /** Adopts again what was adopted before a restart, unless the site file lists it now (or no longer has its charger). */
  restore(): void {
    const { runtime, store, log } = this.deps;
    let adopted = false;
    for (const { chargerId, connectorId } of store.adoptedConnectors()) {
      const decision = decideAdoption(runtime.site, chargerId, connectorId, undefined);
      if (decision.kind === 'adopt') {
        adopted = runtime.adopt(chargerId, connectorId) || adopted;
        continue;
      }
      store.forgetAdoptedConnector(chargerId, connectorId);
      const why = decision.kind === 'listed' ? 'the site file lists it now' : decision.reason;
      log.info({ ref: formatConnectorRef(chargerId, connectorId), why }, 'adopted connector forgotten');
    }
    if (adopted) {
      log.warn(
        { refs: runtime.adoptedRefs() },
        'connectors not in the site file are adopted (add them to the site file to make this permanent)',
      );
      this.deps.onAdopted();
    }
  }

  /** Remembers how many connectors a charger says it has (`undefined`: it did not say). */
  setReportedConnectors(chargerId: string, connectors: number | undefined): void {
    if (connectors === undefined) this.reported.delete(chargerId);
    else this.reported.set(chargerId, connectors);
  }

  /**
   * Makes sure a connector a charger reported is part of the site, adopting it if need be; returns why it cannot be,
   * or undefined when it is. A refused transaction (`transactionId`) is always reported, a refused status once.
   */
  ensure(
    chargerId: string,
    connectorId: number,
    cause: 'status' | 'transaction' | 'storedSession',
    at: number,
    transactionId?: number,
  ): MessageRef | undefined {
    const { runtime, store, observer, log } = this.deps;
    // Every StatusNotification and StartTransaction asks: the common answer must not scan the site.
    if (runtime.hasConnector(chargerId, connectorId)) return undefined;
    const ref = formatConnectorRef(chargerId, connectorId);
    const decision = decideAdoption(runtime.site, chargerId, connectorId, this.reported.get(chargerId));
    if (decision.kind === 'listed') return undefined;
    if (decision.kind === 'refuse') {
      if (cause === 'status' && this.refusedStatus.has(ref)) return decision.reason;
      if (cause === 'status') this.refusedStatus.add(ref);
      log.warn(
        { ref, cause, transactionId, reason: englishMessage(decision.reason) },
        'connector not in the site file cannot be controlled',
      );
      observer.onControlEvent({ type: 'connectorRefused', at, ref, reason: decision.reason, transactionId });
      return decision.reason;
    }
    runtime.adopt(chargerId, connectorId);
    store.saveAdoptedConnector({ chargerId, connectorId, adoptedAt: at });
    log.warn(
      { ref, cause, transactionId },
      'connector not in the site file adopted under its charger (add it to the site file to make this permanent)',
    );
    observer.onControlEvent({ type: 'connectorAdopted', at, ref, cause });
    this.deps.onAdopted();
    return undefined;
  }
}
