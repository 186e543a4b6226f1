/** Builders for sync tests: message bodies and a temporary data directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventBody, SessionBody, TelemetryBody } from '../../../../shared/sync/sync-messages';

export function telemetryBody(charging = 1): TelemetryBody {
  return {
    evAmps: [16, 16, 16],
    limitAmps: [32, 32, 32],
    fuseAmps: [63, 63, 63],
    budget: { unit: 'A', value: 32 },
    meter: 'ok',
    charging,
    paused: 0,
  };
}

export function sessionBody(n: number, state: SessionBody['state'] = 'started'): SessionBody {
  return {
    sessionId: `tx-${n}`,
    chargerId: 'CP-1',
    connectorId: 1,
    state,
    startedAt: 1_700_000_000_000 + n,
    energyWh: n,
  };
}

export function eventBody(severity: EventBody['severity'], message = 'status'): EventBody {
  return { kind: severity === 'info' ? 'charger.status' : 'meter.lost', severity, message };
}

/** A fresh temporary directory and a function that removes it. */
export function tempDir(prefix = 'ampshare-sync-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
