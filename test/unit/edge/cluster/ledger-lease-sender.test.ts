/**
 * What a cluster master records in the ledger before a lease goes out (edge/cluster/ledger-lease-sender.ts): the
 * envelope must cover every lease the charger may hold, a cut must not wait for etcd, and the recorded `validTo` must
 * cover a lease built once the write is back.
 */
import { describe, expect, it } from 'vitest';
import type { LeaseRequest } from '../../../../edge/control/control-ports';
import { leaseStep } from '../../../../edge/cluster/ledger-lease-sender';
import type { LeaseEnvelope } from '../../../../edge/cluster/ledger-leases';

const NOW = 1_000_000;
const WRITE_MS = 2_000;
const request = (amps: number, phases: 1 | 2 | 3 = 3): LeaseRequest => ({
  connectorId: 1,
  transactionId: 7,
  amps,
  phases,
  minAmps: 6,
  leaseSeconds: 60,
  fallbackAmps: 6,
});
const held = (amps: number, validTo: number, transactionId = 7, phases: 1 | 2 | 3 = 3): LeaseEnvelope => ({
  transactionId,
  chargerId: 'CP-1',
  connectorId: 1,
  amps,
  phases,
  validTo,
});
/** A lease built when the write is back: it ends no later than this. */
const LATEST_END = NOW + WRITE_MS + 60_000;

describe('leaseStep', () => {
  it.each([
    ['no envelope', undefined, request(16)],
    ['an envelope of another transaction', held(32, NOW + 30_000, 6), request(16)],
    ['an envelope that ran out', held(32, NOW - 1), request(16)],
  ])('should record the lease alone before it goes out, given %s', (_, envelope, lease) => {
    // Act
    const step = leaseStep(envelope, 'CP-1', lease, NOW, WRITE_MS);

    // Assert
    expect(step).toMatchObject({ kind: 'record', envelope: { amps: 16, phases: 3 }, widened: false });
    expect(step.envelope.validTo).toBeGreaterThanOrEqual(LATEST_END);
  });

  it('should record a raise as the higher of the two, so a lost answer leaves either covered', () => {
    // Act
    const step = leaseStep(held(16, NOW + 30_000), 'CP-1', request(32), NOW, WRITE_MS);

    // Assert
    expect(step).toMatchObject({ kind: 'record', envelope: { amps: 32 }, widened: false });
    expect(step.envelope.validTo).toBeGreaterThanOrEqual(LATEST_END);
  });

  it('should record a renewal (same amps) to extend the envelope', () => {
    // Act
    const step = leaseStep(held(16, NOW + 20_000), 'CP-1', request(16), NOW, WRITE_MS);

    // Assert
    expect(step.kind).toBe('record');
    expect(step.envelope.validTo).toBeGreaterThanOrEqual(LATEST_END);
  });

  it('should send a cut at once inside the envelope, ending before it', () => {
    // Act
    const step = leaseStep(held(32, NOW + 20_500), 'CP-1', request(10), NOW, WRITE_MS);

    // Assert: 20.5 s left less the build margin: 19 whole seconds; the envelope is kept as it is until accepted
    expect(step).toEqual({ kind: 'inside', leaseSeconds: 19, envelope: held(32, NOW + 20_500) });
  });

  it('should record a cut that takes more phases than the envelope, widened to both', () => {
    // Act
    const step = leaseStep(held(32, NOW + 20_000, 7, 1), 'CP-1', request(10, 3), NOW, WRITE_MS);

    // Assert
    expect(step).toMatchObject({ kind: 'record', envelope: { amps: 32, phases: 3 }, widened: true });
  });

  it('should record a cut when the envelope is about to run out (no lease of two seconds fits in it)', () => {
    // Act
    const step = leaseStep(held(32, NOW + 2_500), 'CP-1', request(10), NOW, WRITE_MS);

    // Assert: the charger may hold 32 A for 2.5 s more, then this cut
    expect(step).toMatchObject({ kind: 'record', envelope: { amps: 32 }, widened: true });
    expect(step.envelope.validTo).toBeGreaterThanOrEqual(LATEST_END);
  });
});
