/**
 * The master's leases go through the ledger (ledger-leases.ts), so the next master knows what a charger that never
 * reaches it may still enforce. A lease that would let a charger draw more, or for longer, than the ledger's envelope
 * is recorded first (conditional on the term) and goes out only once the write went through; a cut goes out at once,
 * inside the envelope (it ends no later than the envelope), and the envelope is narrowed once the charger accepted it.
 * A cut never waits for etcd: a slow etcd delays raises and renewals, never a cut.
 */
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { LeaseOutcome, LeaseRequest, LeaseSender } from '../control/control-ports';
import type { MasterGate } from '../ocpp/central-system-ports';
import type { LeaseEnvelope } from './ledger-leases';

/** Time for the profile to be built once the write is back; the profile's `validTo` is floored to the second. */
const BUILD_MARGIN_MS = 1_000;

/** What to do with one lease request. */
export type LeaseStep =
  /** A cut within the envelope: sent at once, for `leaseSeconds`, so it ends before `envelope.validTo`. */
  | { readonly kind: 'inside'; readonly leaseSeconds: number; readonly envelope: LeaseEnvelope }
  /** Record `envelope` first, then send; `widened` when it covers more than this lease alone (narrowed once accepted). */
  | { readonly kind: 'record'; readonly envelope: LeaseEnvelope; readonly widened: boolean };

/**
 * The step for sending `request` to `chargerId` at `now`, given the envelope the ledger holds for the connector (if
 * any). `writeMs` bounds the ledger write (its etcd deadline): the recorded `validTo` covers a lease built after it.
 */
export function leaseStep(
  held: LeaseEnvelope | undefined,
  chargerId: string,
  request: LeaseRequest,
  now: number,
  writeMs: number,
): LeaseStep {
  const current = held?.transactionId === request.transactionId && held.validTo > now ? held : undefined;
  const insideSeconds = current === undefined ? 0 : Math.floor((current.validTo - now - BUILD_MARGIN_MS) / 1000);
  if (current !== undefined && insideSeconds >= 2 && request.amps < current.amps && request.phases <= current.phases)
    return { kind: 'inside', leaseSeconds: Math.min(request.leaseSeconds, insideSeconds), envelope: current };
  const validTo = now + request.leaseSeconds * 1000 + writeMs + BUILD_MARGIN_MS;
  const own: LeaseEnvelope = {
    transactionId: request.transactionId,
    chargerId,
    connectorId: request.connectorId,
    amps: request.amps,
    phases: request.phases,
    validTo,
  };
  if (current === undefined) return { kind: 'record', envelope: own, widened: false };
  const envelope: LeaseEnvelope = {
    ...own,
    amps: Math.max(current.amps, request.amps),
    phases: current.phases > request.phases ? current.phases : request.phases,
    validTo: Math.max(current.validTo, validTo),
  };
  return { kind: 'record', envelope, widened: envelope.amps !== own.amps || envelope.phases !== own.phases };
}

export interface LedgerLeaseSenderDeps {
  readonly leases: { write(envelope: LeaseEnvelope): Promise<void> };
  readonly gate: Pick<MasterGate, 'serving'>;
  readonly now: () => number;
  /** The ledger write's deadline (the etcd call timeout). */
  readonly writeMs: number;
}

export class LedgerLeaseSender implements LeaseSender {
  /** The ledger's envelope per connector, as this node last wrote or read it. */
  private readonly envelopes = new Map<string, LeaseEnvelope>();

  constructor(
    private readonly inner: LeaseSender,
    private readonly deps: LedgerLeaseSenderDeps,
  ) {}

  /** Elected: the ledger's envelopes are what the chargers may hold now. */
  seed(envelopes: readonly LeaseEnvelope[]): void {
    this.envelopes.clear();
    for (const envelope of envelopes)
      this.envelopes.set(formatConnectorRef(envelope.chargerId, envelope.connectorId), envelope);
  }

  async sendLease(chargerId: string, request: LeaseRequest): Promise<LeaseOutcome> {
    // A node that does not serve sends nothing (the gate refuses every call): no record either.
    if (!this.deps.gate.serving()) return this.inner.sendLease(chargerId, request);
    const ref = formatConnectorRef(chargerId, request.connectorId);
    const startedAt = this.deps.now();
    const step = leaseStep(this.envelopes.get(ref), chargerId, request, startedAt, this.deps.writeMs);
    if (step.kind === 'inside') {
      const outcome = await this.inner.sendLease(chargerId, { ...request, leaseSeconds: step.leaseSeconds });
      if (outcome.kind !== 'accepted') return outcome;
      // The charger replaced the lease the envelope covered: it holds this cut until the envelope ends at the latest.
      await this.record(ref, { ...step.envelope, amps: request.amps, phases: request.phases });
      return { ...outcome, expiresAt: step.envelope.validTo };
    }
    // Not recorded, not sent: to the control loop the charger is out of reach from here (this node is being fenced).
    if (!(await this.record(ref, step.envelope))) return { kind: 'notConnected' };
    if (this.deps.now() - startedAt > this.deps.writeMs) return { kind: 'notConnected' };
    const outcome = await this.inner.sendLease(chargerId, request);
    if (outcome.kind === 'accepted' && step.widened)
      await this.record(ref, { ...step.envelope, amps: request.amps, phases: request.phases });
    return outcome;
  }

  sendIdleHold(chargerId: string, holdSeconds: number): Promise<LeaseOutcome> {
    return this.inner.sendIdleHold(chargerId, holdSeconds);
  }

  requestMeterValues(chargerId: string, connectorId: number): Promise<void> {
    return this.inner.requestMeterValues(chargerId, connectorId);
  }

  /** Writes `envelope`; false when the ledger refused it (the ledger keeps the wider one, which stays safe). */
  private async record(ref: string, envelope: LeaseEnvelope): Promise<boolean> {
    try {
      await this.deps.leases.write(envelope);
      this.envelopes.set(ref, envelope);
      return true;
    } catch {
      return false;
    }
  }
}
