/**
 * Which node sent each SetChargingProfile the chargers received, and in which of its terms: a charger's connections
 * are matched, in order, with the "charger connected" lines the agents logged for it (a charger has one connection at
 * a time), and a call belongs to the term its node was serving in when the call arrived ("serving as master" with the
 * term, until "fenced: no longer master"), in the test's order of receipts, not by any clock. A check then asks that
 * every profile was sent by a node serving in the latest term any node had begun to serve, so never two nodes in one
 * term, and never an old master after a new one.
 */
import { z } from 'zod';
import type { AgentLogRecord } from './agent-node-process';
import type { ChargerWire } from './charger-wire';

export interface SenderNode {
  /** One process of a node (a restarted node is a second one). */
  readonly name: string;
  readonly records: readonly AgentLogRecord[];
}

export interface ProfileSent {
  readonly chargerId: string;
  readonly node: string;
  /** The term the node served in when the profile arrived; undefined when it was not serving. */
  readonly term: string | undefined;
  /** The highest term any node had begun to serve in by then. */
  readonly latestTerm: string | undefined;
  /** The highest limit of the profile's schedule, in amps. */
  readonly limitAmps: number;
  /** When the charger received it, in the test's order of receipts. */
  readonly order: number;
  /** When the charger received it, epoch ms. */
  readonly atMs: number;
}

export function chargingProfilesSent(
  nodes: readonly SenderNode[],
  chargers: readonly { readonly id: string; readonly wire: ChargerWire }[],
): ProfileSent[] {
  return chargers.flatMap(({ id, wire }) => {
    const connections = nodes
      .flatMap((node) =>
        node.records
          .filter((r) => r.msg === 'charger connected' && r.chargerId === id)
          .map((r) => ({ node, order: r.order })),
      )
      .sort((x, y) => x.order - y.order);
    if (connections.length !== wire.connections)
      throw new Error(`${id} opened ${wire.connections} connections, the agents logged ${connections.length}`);
    return wire.received
      .filter((call) => call.method === 'SetChargingProfile')
      .map((call) => {
        const node = connections[call.connection - 1]?.node;
        if (node === undefined) throw new Error(`${id}: a profile on connection ${call.connection}, never logged`);
        return {
          chargerId: id,
          node: node.name,
          term: servingTerm(node.records, call.order),
          latestTerm: latestTerm(nodes, call.order),
          limitAmps: limitAmps(call.params),
          order: call.order,
          atMs: call.atMs,
        };
      });
  });
}

function servingTerm(records: readonly AgentLogRecord[], before: number): string | undefined {
  let term: string | undefined;
  for (const record of records) {
    if (record.order > before) break;
    if (record.msg === 'serving as master') term = record.term;
    if (record.msg === 'fenced: no longer master') term = undefined;
  }
  return term;
}

function latestTerm(nodes: readonly SenderNode[], before: number): string | undefined {
  const terms = nodes.flatMap((node) =>
    node.records.filter((r) => r.msg === 'serving as master' && r.order < before && r.term !== undefined),
  );
  return terms
    .map((r) => BigInt(r.term ?? 0))
    .reduce<bigint | undefined>((x, y) => (x === undefined || y > x ? y : x), undefined)
    ?.toString();
}

const ProfileScheduleSchema = z.object({
  csChargingProfiles: z.object({
    chargingSchedule: z.object({
      chargingRateUnit: z.literal('A'),
      chargingSchedulePeriod: z.array(z.object({ limit: z.number() })).min(1),
    }),
  }),
});

function limitAmps(params: Record<string, unknown>): number {
  const periods = ProfileScheduleSchema.parse(params).csChargingProfiles.chargingSchedule.chargingSchedulePeriod;
  return Math.max(...periods.map((p) => p.limit));
}
