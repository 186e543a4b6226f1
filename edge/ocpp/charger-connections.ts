/**
 * The chargers connected now, each with what it reported at boot: the central system keeps it, command senders read it.
 * Calls go out through `caller`, which checks the master gate first (in a cluster, only the master sends calls) and
 * records the charging profiles sent (edge/ocpp/sent-profiles.ts).
 */
import type { MasterGate } from './central-system-ports';
import type { ChargerCapabilities } from './charger-events';
import type { RpcCaller } from './command-sender';
import type { RpcServerClient } from './rpc-server-client';
import type { SentProfiles } from './sent-profiles';

export interface ChargerConnection {
  readonly client: RpcServerClient;
  /** What sends the client's calls (edge/ocpp/timed-calls.ts: the client's calls on a plain timer). */
  readonly caller: RpcCaller;
  /** When the connection opened (`now()` of the central system). */
  readonly openedAt: number;
  /** When the latest WebSocket ping the charger answered on this connection was sent; none answered yet. */
  answeredPingAt?: number;
  /** Set once the boot configuration has run. */
  capabilities?: ChargerCapabilities;
}

/** What is known of a charger's connection being alive: when it opened, and the latest of our pings it answered. */
export interface ConnectionLiveness {
  readonly chargerId: string;
  readonly openedAt: number;
  readonly answeredPingAt: number | undefined;
}

export class ChargerConnections {
  private readonly byId = new Map<string, ChargerConnection>();

  /** Without a gate (a single agent) every call goes out; without `sent` no profile is recorded. */
  constructor(
    private readonly gate?: Pick<MasterGate, 'assertMaster'>,
    private readonly sent?: Pick<SentProfiles, 'recording'>,
  ) {}

  /** What sends calls to a connected charger; undefined when it is not connected. */
  caller(chargerId: string): RpcCaller | undefined {
    const connection = this.byId.get(chargerId);
    return connection && this.gated(chargerId, connection.caller);
  }

  /**
   * `client` of `chargerId`, with the gate checked before each call (a refused call fails as a closed connection's
   * would), recording the charging profiles that go out.
   */
  gated(chargerId: string, ungated: RpcCaller): RpcCaller {
    const client = this.sent?.recording(chargerId, ungated) ?? ungated;
    const gate = this.gate;
    if (gate === undefined) return client;
    return {
      call: (method, params, options) => {
        gate.assertMaster();
        return client.call(method, params, options);
      },
    };
  }

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

  liveness(): ConnectionLiveness[] {
    return [...this.byId].map(([chargerId, c]) => ({
      chargerId,
      openedAt: c.openedAt,
      answeredPingAt: c.answeredPingAt,
    }));
  }

  all(): ChargerConnection[] {
    return [...this.byId.values()];
  }
}
