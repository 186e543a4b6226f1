/**
 * Issue 16: why the agent closed a charger's connection is said by a stable reason (chargerClose.*), so a German page
 * does not show the agent's English close reason. Every close reason the agent sends a charger is one of the
 * catalogue's (a new one written in a sender without its catalogue entry fails here), and a charger's own words stay
 * as written.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHARGER_CLOSE_MESSAGES, chargerCloseReasonOf, closeReasonParam } from '../../../shared/charger-close-messages';

/** The files that close a charger's WebSocket, and how each writes its reason. */
const SENDERS: readonly (readonly [string, RegExp])[] = [
  ['edge/ocpp/central-system-server.ts', /\.close\(\{\s*code:[^}]*?reason:\s*'([^']+)'/g],
  ['edge/cluster/master-role.ts', /dropChargers\('([^']+)'\)/g],
  ['edge/upstream/upstream-gateway.ts', /closeCharger\([^,()]+,\s*'([^']+)'\)/g],
];

describe("the agent's close reasons", () => {
  it.each(SENDERS)('should send from %s only close reasons the catalogue has', (file, pattern) => {
    // Arrange
    const source = readFileSync(file, 'utf8');

    // Act
    const reasons = [...source.matchAll(pattern)].map((m) => m[1] ?? '');

    // Assert: the scan found the sender's reasons, and each is catalogued
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.filter((reason) => chargerCloseReasonOf(reason) === undefined)).toEqual([]);
  });

  it("should give the agent's reason as a message and keep a charger's own words", () => {
    expect(closeReasonParam(CHARGER_CLOSE_MESSAGES.siteChanged)).toEqual({ ref: 'chargerClose.siteChanged' });
    expect(closeReasonParam('reboot')).toBe('reboot');
  });
});
