/** What the ingest services need, passed in by a composition root (the ingest / shadow-sync Lambdas, or the local bridge). */
import type { FleetRepositories } from '../ports/fleet-repositories';
import type { MessageLedger } from './message-ledger';

export interface IngestDeps {
  readonly repositories: Pick<
    FleetRepositories,
    | 'gateways'
    | 'telemetry'
    | 'sessions'
    | 'events'
    | 'policies'
    | 'demandMonths'
    | 'clusterNodes'
    | 'clusterHealth'
    | 'clusterMajority'
  >;
  readonly ledger: MessageLedger;
  /** Epoch ms. */
  readonly clock: () => number;
}
