/**
 * The grid meters the control loop reads, switched without a restart when the meters in force change. A meter whose
 * settings changed, or that left, stops feeding the loop at once, its connection is closed and its last reading is
 * forgotten: its circuits count it as stale and take the stale-meter fallback. Then the site version is put in force,
 * and only then are the new or changed meters started, so the loop never reads a meter with settings of one version
 * against the circuits of another. Switches run one after another, in the order they were asked for.
 */
import type { MessageRef } from '../../shared/server-messages';
import { canonicalJson } from '../control/policy-in-force';
import type { GridMeter } from './grid-meter';
import type { GridMeterSample } from './grid-meter-sample';
import type { MeterConfig } from './meter-config';
import { serialDevice, type SerialPortHolder, type SharedLink } from './serial-port-share';

export interface MeterPollerDeps {
  /** The driver for one meter (not started), and its link, which a test read of the same serial port borrows. */
  create(config: MeterConfig): { readonly meter: GridMeter; readonly link: SharedLink };
  /** Where every sample of a running meter goes (the control loop). */
  onSample(sample: GridMeterSample): void;
  /** Drops a meter's last reading: its circuits count it as stale until its next valid sample. */
  forget(meterId: string, reason: MessageRef): void;
}

interface Polled {
  readonly config: MeterConfig;
  readonly meter: GridMeter;
  readonly link: SharedLink;
  readonly unsubscribe: () => void;
}

/** Why a meter counts as stale while it is switched, until its first poll with the new settings. */
export const SETTINGS_CHANGED: MessageRef = { reason: 'meterFault.settingsChanged' };

export class MeterPollers {
  private readonly polled = new Map<string, Polled>();
  /** Meters stopped by a switch: stale until their first poll with the new settings. */
  private readonly switched = new Set<string>();
  private switching: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: MeterPollerDeps,
    initial: readonly MeterConfig[],
  ) {
    for (const config of initial) this.open(config);
  }

  /** The meters polled now. */
  meters(): GridMeter[] {
    return [...this.polled.values()].map((p) => p.meter);
  }

  /**
   * Why the meter `meterId` has no valid reading now, said with a stable reason: its last poll's fault, or (switched
   * and not polled since) its changed settings. Undefined when its last poll was valid, or it was never polled.
   */
  fault(meterId: string): MessageRef | undefined {
    const latest = this.polled.get(meterId)?.meter.latest();
    if (latest === undefined) return this.switched.has(meterId) ? SETTINGS_CHANGED : undefined;
    return latest.valid ? undefined : latest.fault;
  }

  /** Starts polling the meters built at construction. */
  start(): void {
    for (const { meter } of this.polled.values()) meter.start();
  }

  /**
   * Switches to the meters `next`: the changed and removed ones stop and count as stale, `putInForce` puts the version
   * that holds them in force, then the new and changed ones start. Resolves once they have started.
   */
  switchTo(next: readonly MeterConfig[], putInForce: () => Promise<void>): Promise<void> {
    const run = async () => {
      const wanted = new Map(next.map((c) => [c.meterId, canonicalJson(c)]));
      const leaving = [...this.polled.values()].filter((p) => wanted.get(p.config.meterId) !== canonicalJson(p.config));
      for (const { config, unsubscribe } of leaving) {
        unsubscribe();
        this.polled.delete(config.meterId);
        this.switched.add(config.meterId);
        this.deps.forget(config.meterId, SETTINGS_CHANGED);
      }
      await Promise.all(leaving.map((p) => p.meter.stop()));
      try {
        await putInForce();
      } finally {
        for (const config of next) if (!this.polled.has(config.meterId)) this.open(config).start();
      }
    };
    const done = this.switching.then(run);
    this.switching = done.catch(() => undefined);
    return done;
  }

  /** The running meter that polls the serial port `connection` names, if one does. */
  serialHolder(connection: MeterConfig['connection']): SerialPortHolder | undefined {
    if (connection.transport !== 'rtu') return undefined;
    const device = serialDevice(connection.path);
    for (const { config, link } of this.polled.values()) {
      const held = config.connection;
      if (held.transport === 'rtu' && serialDevice(held.path) === device)
        return { meterId: config.meterId, connection: held, link };
    }
    return undefined;
  }

  /** Stops every meter and closes its connection. */
  async stop(): Promise<void> {
    await this.switching;
    const all = [...this.polled.values()];
    this.polled.clear();
    for (const p of all) p.unsubscribe();
    await Promise.all(all.map((p) => p.meter.stop()));
  }

  private open(config: MeterConfig): GridMeter {
    const { meter, link } = this.deps.create(config);
    const unsubscribe = meter.subscribe((sample) => this.deps.onSample(sample));
    this.polled.set(config.meterId, { config, meter, link, unsubscribe });
    return meter;
  }
}
