/**
 * Charger lifecycle events from a real agent to the fleet (issue 12, finding 7): a virtual charger connects, boots,
 * faults, recovers and disconnects; the events travel through the outbox, the local broker and the rules bridge into
 * the event repository (DynamoDB Local) and the API.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../cloud/local/start-local-cloud';
import type { SiteEvent } from '../../../cloud/ports/event-repository';
import { api } from '../cloud/local/local-cloud-kit';
import { startSyncedEdge, untilCloud, type SyncedEdge } from './support/synced-edge';

describe('charger lifecycle events reach the fleet', () => {
  let cloud: LocalCloud;
  let edge: SyncedEdge;
  const startedAt = Date.now();

  const stored = async (): Promise<readonly SiteEvent[]> =>
    (
      await cloud.repositories.events.list(cloud.demo.tenantId, cloud.demo.siteId, {
        from: startedAt - 1000,
        to: Date.now() + 60_000,
        limit: 100,
      })
    ).items;
  const ofCharger = (events: readonly SiteEvent[], chargerId: string) =>
    events.filter((e) => e.type.startsWith('charger.') && e.data?.chargerId === chargerId);

  beforeAll(async () => {
    cloud = await startLocalCloud({ apiPort: 0, mqttPort: 0 });
    edge = await startSyncedEdge(cloud, { chargers: 2 });
  });
  afterAll(async () => {
    await edge?.close();
    await cloud?.stop();
  });

  it('should store connect, boot, fault, recovery and disconnect of a charger as site events, shown by the API', async () => {
    const charger = await edge.charger('CP-1');
    const status = (status: string, errorCode: string) =>
      charger.client.call('StatusNotification', {
        connectorId: 1,
        status,
        errorCode,
        timestamp: new Date().toISOString(),
      });
    await status('Faulted', 'GroundFailure');
    await status('Available', 'NoError');
    await charger.close();

    const wanted = [
      'charger.connected',
      'charger.booted',
      'charger.faulted',
      'charger.recovered',
      'charger.disconnected',
    ];
    await untilCloud(cloud, 'the lifecycle of CP-1 in the event repository', async () => {
      const types = new Set(ofCharger(await stored(), 'CP-1').map((e) => e.type));
      return wanted.every((t) => types.has(t));
    });
    const events = ofCharger(await stored(), 'CP-1');
    const fault = events.find((e) => e.type === 'charger.faulted');
    expect(fault).toMatchObject({
      severity: 'error',
      data: { chargerId: 'CP-1', connectorId: 1, errorCode: 'GroundFailure', status: 'Faulted' },
    });
    expect(fault?.message).toContain('GroundFailure');
    expect(events.find((e) => e.type === 'charger.booted')).toMatchObject({
      severity: 'info',
      data: { vendor: 'Ampshare', model: 'Sim-3p-32A' },
    });
    expect(events.find((e) => e.type === 'charger.disconnected')?.severity).toBe('warning');
    // In the order they happened (two may share a millisecond).
    const at = (type: string) => events.find((e) => e.type === type)!.at;
    wanted.slice(1).forEach((type, i) => expect(at(type)).toBeGreaterThanOrEqual(at(wanted[i]!)));

    const listed = (await (await api(cloud, `/sites/${cloud.demo.siteId}/events?from=${startedAt - 1000}`)).json()) as {
      items: { type: string }[];
    };
    expect(listed.items.map((e) => e.type)).toEqual(expect.arrayContaining(wanted));
  });

  it('should bound what a flapping charger sends: a burst, then one coalesced event per kind, the last state kept', async () => {
    for (let i = 0; i < 15; i++) {
      const charger = await edge.charger('CP-2');
      await charger.close();
      await vi.waitFor(() => expect(edge.agent.centralSystem.isConnected('CP-2')).toBe(false), { timeout: 5_000 });
    }
    // The agent flushes what it held back when the window ends or when it stops.
    await edge.stopAgent();
    await edge.close(true);
    edge = await startSyncedEdge(cloud, { chargers: 2, gateway: edge.gateway, dataDir: edge.dataDir });

    await untilCloud(cloud, 'a coalesced disconnect of CP-2', async () =>
      ofCharger(await stored(), 'CP-2').some(
        (e) => e.type === 'charger.disconnected' && typeof e.data?.coalesced === 'number',
      ),
    );
    const events = ofCharger(await stored(), 'CP-2');
    // 15 connects, boots and disconnects each (45) became at most the burst plus one per kind.
    expect(events.length).toBeLessThanOrEqual(12);
    const coalesced = events.filter((e) => typeof e.data?.coalesced === 'number');
    expect(coalesced.reduce((n, e) => n + Number(e.data?.coalesced), 0) + events.length - coalesced.length).toBe(45);
    expect([...events].sort((a, b) => a.at - b.at).at(-1)?.type).toBe('charger.disconnected');
  });
});
