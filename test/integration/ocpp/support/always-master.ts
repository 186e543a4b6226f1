/** A cluster node that always serves, with a ledger that keeps nothing: for tests about a master's connections. */
import type { TransactionLedger } from '../../../../edge/ocpp/central-system-ports';

export const ALWAYS_MASTER = {
  gate: { serving: () => true, assertMaster: () => {} },
  ledger: {
    startedBefore: () => Promise.resolve(undefined),
    started: () => Promise.resolve(),
    stopped: () => Promise.resolve(),
    metered: () => Promise.resolve(),
  } satisfies TransactionLedger,
};
