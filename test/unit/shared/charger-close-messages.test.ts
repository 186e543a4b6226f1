/**
 * Issue 16: why the agent closed a charger's connection is said by a stable reason (chargerClose.*), so a German page
 * does not show the agent's English close reason. Every close reason the agent sends a charger is one of the
 * catalogue's (a new one written in a sender without its catalogue entry fails here), and a charger's own words stay
 * as written.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHARGER_CLOSE_MESSAGES, closeReasonParam } from '../../../shared/charger-close-messages';

/** A charger connection's close call with its reason written as a literal. */
const LITERAL_CLOSE = /\.close\(\{\s*code:[^}]*?reason:\s*'([^']*)'/g;

/** The files that close a charger's WebSocket, and how a close reason written there as a literal would look. */
const SENDERS: readonly (readonly [string, RegExp])[] = [
  ['edge/ocpp/central-system-server.ts', LITERAL_CLOSE],
  ['edge/ocpp/charger-attach.ts', LITERAL_CLOSE],
  ['edge/cluster/master-role.ts', /dropChargers\('([^']*)'\)/g],
  ['edge/upstream/upstream-gateway.ts', /closeCharger\([^,()]+,\s*'([^']*)'\)/g],
];

describe("the agent's close reasons", () => {
  it.each(SENDERS)("should send from %s only the catalogue's close reasons, none written as text", (file, pattern) => {
    // Arrange
    const source = readFileSync(file, 'utf8');

    // Act
    const literals = [...source.matchAll(pattern)].map((m) => m[1] ?? '');

    // Assert: the sender takes its reasons from the catalogue (one text, kept in one place)
    expect(literals).toEqual([]);
    expect(source).toContain('CHARGER_CLOSE_MESSAGES.');
  });

  it("should give the agent's reason as a message and keep a charger's own words", () => {
    expect(closeReasonParam(CHARGER_CLOSE_MESSAGES.siteChanged)).toEqual({ ref: 'chargerClose.siteChanged' });
    expect(closeReasonParam('reboot')).toBe('reboot');
  });
});
