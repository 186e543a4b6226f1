/**
 * The control loop's cost per round at 1,000 chargers, in process and in virtual time, as edge-capacity runs the agent:
 * every charger in a transaction, closed loop on, no meter, MeterValues every 10 s per charger (20 per 200 ms round),
 * 120 s leases. The real controller on SQLite stores (the control tests' harness). CPU per round, and a digest of every
 * event and lease of the measured rounds: a change that only saves time leaves the digest as it was.
 */
import { createHash } from 'node:crypto';
import { ACCEPTED, onTime, startHarness, testSite, type LeaseResult } from '../test/unit/edge/control/control-harness';
import { printTable } from './measure';

const CHARGERS = 1_000;
const ROUND_MS = 200;
const SAMPLES_PER_ROUND = (CHARGERS * ROUND_MS) / 10_000;
const WARM_UP_ROUNDS = 300;
const MEASURED_ROUNDS = 1_500;

/** Runs the control-round benchmark and prints its table. */
export async function benchControlRound(): Promise<void> {
  const site = testSite(CHARGERS, { circuits: [{ id: 'main', parent: null, fuseAmps: CHARGERS * 10 }] });
  const policy = {
    $schemaVersion: 1 as const,
    budget: { unit: 'A' as const, min: 6, max: CHARGERS * 10 },
    closedLoop: { enabled: true },
  };
  const harness = startHarness(site, policy, { settings: { leaseSeconds: 120 } });
  const { clock, controller, sender, log } = harness;
  const limits = new Map<string, number>();
  sender.respondHold = () => ACCEPTED;
  sender.respond = (chargerId, lease): LeaseResult => (limits.set(chargerId, lease.amps), ACCEPTED);
  try {
    await harness.settle(1_000);
    for (let i = 1; i <= CHARGERS; i++) {
      const chargerId = `CP-${i}`;
      controller.onChargerInput({ type: 'status', chargerId, at: clock.now(), connectorId: 1, status: 'Preparing' });
      controller.onChargerInput({
        type: 'transactionStarted',
        chargerId,
        at: clock.now(),
        connectorId: 1,
        transactionId: i,
        idTag: 'TAG',
        status: 'Accepted',
        meterStartWh: 0,
        startedAt: onTime(clock.now()),
      });
    }
    await harness.settle(2_000);
    const energyWh = new Map<number, number>();
    let round = 0;
    // Cars draw a little under their limit (at most 16 A), with a deterministic noise of a few tenths.
    const step = async () => {
      for (let k = 0; k < SAMPLES_PER_ROUND; k++) {
        const i = ((round * SAMPLES_PER_ROUND + k) % CHARGERS) + 1;
        const chargerId = `CP-${i}`;
        const amps = Math.max(0, Math.min(limits.get(chargerId) ?? 6, 16) - 0.3 + ((round * 7 + i) % 5) * 0.1);
        const energy = (energyWh.get(i) ?? 0) + (amps * 230 * 3 * 10) / 3600;
        energyWh.set(i, energy);
        controller.onChargerInput({
          type: 'meterValues',
          chargerId,
          at: clock.now(),
          connectorId: 1,
          transactionId: i,
          sample: { measurement: { at: clock.now(), amps: [amps, amps, amps] }, energyWh: Math.round(energy) },
          sampledAt: onTime(clock.now()),
        });
      }
      round++;
      await harness.settle(ROUND_MS);
    };
    for (let r = 0; r < WARM_UP_ROUNDS; r++) await step();
    sender.sent.length = 0;
    log.events.length = 0;
    const started = process.cpuUsage();
    for (let r = 0; r < MEASURED_ROUNDS; r++) await step();
    const cpu = process.cpuUsage(started);
    const digest = createHash('sha256');
    for (const event of log.events) digest.update(JSON.stringify(event));
    for (const s of sender.sent) digest.update(JSON.stringify([s.chargerId, s.lease, s.at]));
    printTable(
      `Control rounds at ${CHARGERS} chargers in transactions, in process (${SAMPLES_PER_ROUND} MeterValues per ${ROUND_MS} ms round, closed loop, no meter)`,
      ['rounds', 'allocations', 'leases sent', 'CPU ms per round', 'digest of events and leases'],
      [
        [
          `${MEASURED_ROUNDS}`,
          `${log.of('allocation').length}`,
          `${sender.sent.length}`,
          ((cpu.user + cpu.system) / 1000 / MEASURED_ROUNDS).toFixed(2),
          digest.digest('hex').slice(0, 16),
        ],
      ],
    );
  } finally {
    await harness.close();
  }
}
