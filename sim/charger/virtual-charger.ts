/** A virtual OCPP 1.6J charge point with a virtual car on one of its connectors: a real ocpp-rpc client over WebSocket. */
import { RPCClient } from 'ocpp-rpc';
import type { RPC_ClientOptions } from 'ocpp-rpc/lib/client';
import type { z } from 'zod';
import { ocppPhaseRotation, type PhaseRotation } from '../../shared/units';
import { ChargerProfiles, type RunningTransaction } from './charger-profiles';
import * as M from './charger-messages';
import { ConnectorMeter, type SampledValue } from './connector-meter';
import type { SimClock } from './sim-clock';
import { TransactionMessages } from './transaction-messages';
import { VirtualCar, type CarSpec } from './virtual-car';

export interface VirtualChargerSpec {
  readonly id: string;
  readonly password?: string;
  readonly phases: 1 | 3;
  readonly maxAmps: number;
  readonly phaseRotation: PhaseRotation;
  readonly volts: number;
  /** `ChargingScheduleAllowedChargingRateUnit`: some chargers only take W. */
  readonly rateUnits: readonly ('A' | 'W')[];
  readonly maxStackLevel: number;
  /** How long the car takes to follow a new offered current. */
  readonly rampDelayMs: number;
  /** A charger that refuses every SetChargingProfile (seen in the field). */
  readonly rejectsProfiles: boolean;
  /** The connector the car uses (1 unless said), e.g. the second socket of a charger listed with one. */
  readonly connectorId?: number;
  /** What it reports as `NumberOfConnectors` (the car's connector unless said). */
  readonly numberOfConnectors?: number;
  /**
   * `WebSocketPingInterval`: how often it pings the central system (ocpp-rpc's 30 s unless said). A ping is how a
   * charger whose central system vanished without a close (its gateway's link went down) finds its socket dead.
   */
  readonly pingIntervalSeconds?: number;
  /** How long it waits for a connection to open (TCP and the WebSocket handshake) before it gives up on it. */
  readonly connectTimeoutSeconds?: number;
  /**
   * `TransactionMessageAttempts`: how often it sends one transaction message the central system does not answer
   * (transaction-messages.ts); 1 unless said, so a refused or unanswered one fails at once.
   */
  readonly transactionMessageAttempts?: number;
  /** `TransactionMessageRetryInterval`: the wait before its second attempt (60 s unless said). */
  readonly transactionMessageRetryIntervalSeconds?: number;
}

export const DEFAULT_CHARGER: Omit<VirtualChargerSpec, 'id'> = {
  phases: 3,
  maxAmps: 32,
  phaseRotation: 'L1L2L3',
  volts: 230,
  rateUnits: ['A', 'W'],
  maxStackLevel: 8,
  rampDelayMs: 2_000,
  rejectsProfiles: false,
};

type Status = 'Available' | 'Preparing' | 'Charging' | 'SuspendedEV' | 'SuspendedEVSE' | 'Finishing';

export class VirtualCharger {
  readonly client: RPCClient;
  readonly profiles: ChargerProfiles;
  private readonly meter: ConnectorMeter;
  private readonly config = new Map<string, string>();
  private car: VirtualCar | undefined;
  private tx: (RunningTransaction & { idTag: string }) | undefined;
  private status: Status = 'Available';
  private cancelRamp = (): void => {};
  private cancelChange = (): void => {};
  private cancelMeter = (): void => {};
  private cancelHeartbeat = (): void => {};
  private heartbeatSeconds = 300;
  private readonly connectorId: number;
  private readonly transactionMessages: TransactionMessages;

  constructor(
    readonly spec: VirtualChargerSpec,
    endpoint: string,
    private readonly clock: SimClock,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.client = new RPCClient({
      endpoint,
      identity: spec.id,
      password: spec.password ?? null,
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
      ...(spec.pingIntervalSeconds !== undefined && { pingIntervalMs: spec.pingIntervalSeconds * 1000 }),
      ...(spec.connectTimeoutSeconds !== undefined && {
        wsOpts: { handshakeTimeout: spec.connectTimeoutSeconds * 1000 },
      }),
    } as Partial<RPC_ClientOptions> as RPC_ClientOptions);
    this.profiles = new ChargerProfiles({
      maxStackLevel: spec.maxStackLevel,
      rateUnits: spec.rateUnits,
      volts: spec.volts,
      phases: spec.phases,
    });
    this.meter = new ConnectorMeter(spec.volts, spec.phases, clock.now());
    this.config.set('MeterValueSampleInterval', '60');
    this.config.set('MeterValuesSampledData', 'Energy.Active.Import.Register');
    this.config.set(
      'ChargingScheduleAllowedChargingRateUnit',
      spec.rateUnits.map((u) => (u === 'A' ? 'Current' : 'Power')).join(','),
    );
    this.config.set('ChargeProfileMaxStackLevel', String(spec.maxStackLevel));
    this.config.set('TransactionMessageAttempts', String(spec.transactionMessageAttempts ?? 1));
    this.config.set('TransactionMessageRetryInterval', String(spec.transactionMessageRetryIntervalSeconds ?? 60));
    this.transactionMessages = new TransactionMessages(this.client, clock, {
      attempts: () => Number(this.config.get('TransactionMessageAttempts')),
      retryIntervalMs: () => Number(this.config.get('TransactionMessageRetryInterval')) * 1000,
    });
    this.connectorId = spec.connectorId ?? 1;
    this.config.set('NumberOfConnectors', String(spec.numberOfConnectors ?? this.connectorId));
    this.config.set(
      'ConnectorPhaseRotation',
      `0.${ocppPhaseRotation(spec.phaseRotation)},1.${ocppPhaseRotation(spec.phaseRotation)}`,
    );
    this.registerHandlers();
  }

  get transactionId(): number | undefined {
    return this.tx?.transactionId;
  }
  get offeredAmps(): number {
    return this.meter.offeredAmps;
  }
  get drawAmps(): number {
    return this.meter.drawAmps;
  }
  get connectorStatus(): Status {
    return this.status;
  }
  configuration(key: string): string | undefined {
    return this.config.get(key);
  }

  /** Connects, boots and reports the connector; resolves with the boot answer. */
  async connect(): Promise<'Accepted' | 'Pending' | 'Rejected'> {
    await this.client.connect();
    return this.boot();
  }

  /** BootNotification, then the connector's status: at each connection, and when the central system asks for it. */
  private async boot(): Promise<'Accepted' | 'Pending' | 'Rejected'> {
    const boot = await this.call(
      'BootNotification',
      { chargePointVendor: 'Ampshare', chargePointModel: `Sim-${this.spec.phases}p-${this.spec.maxAmps}A` },
      M.BootResponseSchema,
    );
    this.heartbeatSeconds = boot.interval > 0 ? boot.interval : this.heartbeatSeconds;
    this.scheduleHeartbeat();
    await this.sendStatus(this.status);
    return boot.status;
  }

  async plugIn(car: CarSpec): Promise<void> {
    this.car = new VirtualCar(car);
    await this.sendStatus('Preparing');
  }

  /** Authorises `idTag` and starts a transaction; returns its id, or undefined when the tag is refused. */
  async authorizeAndStart(idTag: string): Promise<number | undefined> {
    const auth = await this.call('Authorize', { idTag }, M.IdTagInfoResponseSchema);
    if (auth.idTagInfo.status !== 'Accepted') return undefined;
    return this.startTransaction(idTag);
  }

  /** Starts a transaction for a tag it knows already (its authorization cache); undefined without a car. */
  async startTransaction(idTag: string): Promise<number | undefined> {
    if (this.car === undefined) return undefined;
    const now = this.clock.now();
    this.meter.advance(now, undefined);
    const meterStart = Math.round(this.meter.registerWh);
    const started = M.StartTransactionResponseSchema.parse(
      await this.transactionMessages.send('StartTransaction', {
        connectorId: this.connectorId,
        idTag,
        meterStart,
        timestamp: new Date(now).toISOString(),
      }),
    );
    this.tx = { connectorId: this.connectorId, transactionId: started.transactionId, startedAt: now, idTag };
    await this.sendStatus('Charging');
    this.refresh();
    this.scheduleMeterValues();
    return started.transactionId;
  }

  async stop(reason: 'Local' | 'EVDisconnected' | 'Remote' | 'SoftReset' = 'Local'): Promise<void> {
    const tx = this.tx;
    if (tx === undefined) return;
    this.meter.advance(this.clock.now(), this.car);
    const transactionData = [
      {
        timestamp: new Date(this.clock.now()).toISOString(),
        sampledValue: this.meter.sample(this.car, 'Transaction.End'),
      },
    ];
    this.tx = undefined;
    [this.cancelMeter, this.cancelRamp, this.cancelChange].forEach((cancel) => cancel());
    this.meter.offeredAmps = 0;
    this.meter.drawAmps = 0;
    this.profiles.endTransaction(this.connectorId);
    await this.transactionMessages.send('StopTransaction', {
      transactionId: tx.transactionId,
      idTag: tx.idTag,
      meterStop: Math.round(this.meter.registerWh),
      timestamp: new Date(this.clock.now()).toISOString(),
      reason,
      transactionData,
    });
    await this.sendStatus('Finishing');
  }

  async unplug(): Promise<void> {
    if (this.tx !== undefined) await this.stop('EVDisconnected');
    this.car = undefined;
    await this.sendStatus('Available');
  }

  /** Sends one MeterValues now (what the periodic timer does). */
  async sendMeterValues(context: SampledValue['context'] = 'Sample.Periodic'): Promise<void> {
    this.refresh();
    const meterValues = {
      connectorId: this.connectorId,
      ...(this.tx && { transactionId: this.tx.transactionId }),
      meterValue: [
        { timestamp: new Date(this.clock.now()).toISOString(), sampledValue: this.meter.sample(this.car, context) },
      ],
    };
    // Only a transaction's meter values are a transaction message (sent again when unanswered).
    await (this.tx ? this.transactionMessages.send('MeterValues', meterValues) : this.call('MeterValues', meterValues));
  }

  async close(): Promise<void> {
    [this.cancelMeter, this.cancelRamp, this.cancelChange, this.cancelHeartbeat].forEach((cancel) => cancel());
    this.transactionMessages.close();
    await this.client.close({ force: true });
  }

  /** Brings the electrical state up to now: energy, the limit in force, and the car following it after the ramp delay. */
  private refresh(): void {
    const now = this.clock.now();
    this.meter.advance(now, this.car);
    const limit = this.tx && this.profiles.limitAmpsAt(this.connectorId, now, this.tx);
    const offered = this.tx === undefined ? 0 : Math.min(this.spec.maxAmps, limit ?? this.spec.maxAmps);
    if (offered !== this.meter.offeredAmps) {
      this.meter.offeredAmps = offered;
      this.cancelRamp();
      this.cancelRamp = this.clock.after(this.spec.rampDelayMs, () => this.follow());
    } else if (this.car && this.meter.drawAmps > 0) {
      this.meter.drawAmps = this.car.drawAmps(offered);
    }
    this.cancelChange();
    const next = this.tx && this.profiles.nextChangeAfter(now, this.tx);
    if (next !== undefined) this.cancelChange = this.clock.after(next - now, () => this.refresh());
  }

  private follow(): void {
    this.meter.advance(this.clock.now(), this.car);
    this.meter.drawAmps = this.car?.drawAmps(this.meter.offeredAmps) ?? 0;
    const status: Status =
      this.meter.drawAmps > 0 ? 'Charging' : this.meter.offeredAmps === 0 ? 'SuspendedEVSE' : 'SuspendedEV';
    if (this.tx !== undefined && status !== this.status) this.sendStatus(status).catch(this.onError);
  }

  private scheduleMeterValues(): void {
    this.cancelMeter();
    const seconds = Number(this.config.get('MeterValueSampleInterval')) || 60;
    this.cancelMeter = this.clock.after(seconds * 1000, () => {
      this.scheduleMeterValues();
      this.sendMeterValues().catch(this.onError);
    });
  }

  private scheduleHeartbeat(): void {
    this.cancelHeartbeat = this.clock.after(this.heartbeatSeconds * 1000, () => {
      this.scheduleHeartbeat();
      this.call('Heartbeat', {}).catch(this.onError);
    });
  }

  private async sendStatus(status: Status): Promise<void> {
    this.status = status;
    await this.call('StatusNotification', {
      connectorId: this.connectorId,
      errorCode: 'NoError',
      status,
      timestamp: new Date(this.clock.now()).toISOString(),
    });
  }

  private async call<S extends z.ZodType = z.ZodType<unknown>>(
    method: string,
    params: object,
    schema?: S,
  ): Promise<z.output<S>> {
    const response = await this.client.call(method, params);
    return (schema ? schema.parse(response) : response) as z.output<S>;
  }

  private on<S extends z.ZodType>(
    method: string,
    schema: S,
    run: (request: z.output<S>) => Record<string, unknown>,
  ): void {
    this.client.handle(method, ({ params }) => Promise.resolve(run(schema.parse(params))));
  }

  private registerHandlers(): void {
    this.on('SetChargingProfile', M.SetChargingProfileSchema, ({ connectorId, csChargingProfiles }) => {
      const status = this.spec.rejectsProfiles
        ? 'Rejected'
        : this.profiles.set(connectorId, csChargingProfiles, this.tx);
      if (status === 'Accepted') this.refresh();
      return { status };
    });
    this.on('ClearChargingProfile', M.ClearChargingProfileSchema, (request) => {
      const status = this.profiles.clear(request);
      this.refresh();
      return { status };
    });
    this.on('GetCompositeSchedule', M.GetCompositeScheduleSchema, ({ connectorId, duration, chargingRateUnit }) => {
      if (chargingRateUnit === 'W') return { status: 'Rejected' };
      const periods = this.profiles.composite(connectorId, this.clock.now(), duration, this.tx);
      if (periods.length === 0) return { status: 'Accepted', connectorId };
      return {
        status: 'Accepted',
        connectorId,
        scheduleStart: new Date(this.clock.now()).toISOString(),
        chargingSchedule: { duration, chargingRateUnit: 'A', chargingSchedulePeriod: periods },
      };
    });
    this.on('ChangeConfiguration', M.ChangeConfigurationSchema, ({ key, value }) => {
      if (!this.config.has(key)) return { status: 'NotSupported' };
      if (['ChargingScheduleAllowedChargingRateUnit', 'ChargeProfileMaxStackLevel'].includes(key))
        return { status: 'Rejected' };
      this.config.set(key, value);
      if (key === 'MeterValueSampleInterval' && this.tx) this.scheduleMeterValues();
      return { status: 'Accepted' };
    });
    this.on('GetConfiguration', M.GetConfigurationSchema, ({ key }) => {
      const wanted = key ?? [...this.config.keys()];
      return {
        configurationKey: wanted
          .filter((k) => this.config.has(k))
          .map((k) => ({
            key: k,
            readonly: k !== 'MeterValueSampleInterval' && k !== 'MeterValuesSampledData',
            value: this.config.get(k),
          })),
        unknownKey: wanted.filter((k) => !this.config.has(k)),
      };
    });
    this.on('RemoteStartTransaction', M.RemoteStartSchema, ({ idTag }) => {
      if (this.car === undefined || this.tx !== undefined) return { status: 'Rejected' };
      setImmediate(() => void this.authorizeAndStart(idTag).catch(this.onError));
      return { status: 'Accepted' };
    });
    this.on('RemoteStopTransaction', M.RemoteStopSchema, ({ transactionId }) => {
      if (this.tx?.transactionId !== transactionId) return { status: 'Rejected' };
      setImmediate(() => void this.stop('Remote').catch(this.onError));
      return { status: 'Accepted' };
    });
    this.on('TriggerMessage', M.TriggerMessageSchema, ({ requestedMessage }) => {
      const send: Record<string, () => Promise<unknown>> = {
        // A central system that took over (another cluster node) asks for it: the charger did not reboot.
        BootNotification: () => this.boot(),
        MeterValues: () => this.sendMeterValues('Trigger'),
        StatusNotification: () => this.sendStatus(this.status),
        Heartbeat: () => this.call('Heartbeat', {}),
      };
      const action = send[requestedMessage];
      if (action === undefined) return { status: 'NotImplemented' };
      setImmediate(() => void action().catch(this.onError));
      return { status: 'Accepted' };
    });
    // The simulator does not reboot; it says so rather than pretending.
    this.on('Reset', M.ResetSchema, () => ({ status: 'Rejected' }));
    this.on('ChangeAvailability', M.ChangeAvailabilitySchema, () => ({ status: 'Accepted' }));
    this.on('UnlockConnector', M.UnlockConnectorSchema, () => ({
      status: this.tx === undefined ? 'Unlocked' : 'UnlockFailed',
    }));
  }
}
