import { describe, expect, it } from 'vitest';
import { FenceDeadline } from '../../../../edge/cluster/fence-deadline';

describe('FenceDeadline', () => {
  it('should have passed before any keepalive is confirmed', () => {
    // Arrange
    const deadline = new FenceDeadline(5, 500);

    // Act & Assert
    expect(deadline.passed(0)).toBe(true);
  });

  it('should stop the margin before the lease can have expired, counted from when the keepalive left', () => {
    // Arrange
    const deadline = new FenceDeadline(5, 500);

    // Act: sent at 1,000, answered (late) at 4,000.
    deadline.confirmed(1_000, 5);

    // Assert
    expect(deadline.atMs).toBe(5_500);
    expect(deadline.passed(5_499)).toBe(false);
    expect(deadline.passed(5_500)).toBe(true);
  });

  it('should count the shorter of the asked and the granted TTL', () => {
    // Arrange
    const asked = new FenceDeadline(5, 0);
    const raised = new FenceDeadline(1, 0);

    // Act
    asked.confirmed(0, 3);
    raised.confirmed(0, 2);

    // Assert
    expect(asked.atMs).toBe(3_000);
    expect(raised.atMs).toBe(1_000);
  });

  it('should never move back when an older keepalive is answered after a newer one', () => {
    // Arrange
    const deadline = new FenceDeadline(5, 500);

    // Act
    deadline.confirmed(2_000, 5);
    deadline.confirmed(1_000, 5);

    // Assert
    expect(deadline.atMs).toBe(6_500);
  });

  it('should forget every confirmation on reset (a new lease)', () => {
    // Arrange
    const deadline = new FenceDeadline(5, 500);
    deadline.confirmed(1_000, 5);

    // Act
    deadline.reset();

    // Assert
    expect(deadline.passed(1_000)).toBe(true);
  });
});
