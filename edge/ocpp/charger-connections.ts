/** The chargers connected now, each with what it reported at boot: the central system keeps it, command senders read it. */
import type { ChargerCapabilities } from './charger-events';
import type { RpcServerClient } from './rpc-server-client';

export interface ChargerConnection {
  readonly client: RpcServerClient;
  /** Set once the boot configuration has run. */
  capabilities?: ChargerCapabilities;
}

export class ChargerConnections {
  private readonly byId = new Map<string, ChargerConnection>();

  get(chargerId: string): ChargerConnection | undefined {
    return this.byId.get(chargerId);
  }

  set(chargerId: string, connection: ChargerConnection): void {
    this.byId.set(chargerId, connection);
  }

  delete(chargerId: string): void {
    this.byId.delete(chargerId);
  }

  chargerIds(): string[] {
    return [...this.byId.keys()];
  }

  all(): ChargerConnection[] {
    return [...this.byId.values()];
  }
}
