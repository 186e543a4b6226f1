/** Prints what the agent does as a compact table: one row per allocation change, one line per notable event. */
import type { Allocation, ConnectorAllocation } from '../shared/allocation/allocation-types';
import { englishMessage } from '../shared/server-messages';
import { formatConnectorRef } from '../shared/site/connector-ref';
import type { ControlEvent } from '../edge/control/control-events';
import type { ControlObserver } from '../edge/control/control-ports';

const MARK: Partial<Record<ConnectorAllocation['reason'], string>> = {
  vip: '*',
  cappedByCar: 'c',
  failSafe: 'f',
  pausedNoBudget: 'p',
  rotatedOut: 'r',
  minPauseTime: 'p',
  unresponsive: 'u',
  offline: 'o',
  unconfigured: 'b',
  cappedByCharger: 'm',
};

const time = (at: number) => new Date(at).toISOString().slice(11, 19);
const pad = (text: string, width: number) => text.padStart(width);

function cell(a: ConnectorAllocation): string {
  if (a.activity === 'idle' && a.reason === 'idle') return '-';
  return `${a.amps.toFixed(a.amps % 1 === 0 ? 0 : 1)}${MARK[a.reason] ?? ''}`;
}

function phases(amps: readonly number[]): string {
  return amps.map((a) => a.toFixed(0).padStart(3)).join('');
}

/** A ControlObserver that writes to `write` (stdout by default). */
export class AllocationConsole implements ControlObserver {
  private header: string | undefined;
  private rows = 0;

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  /** A line about something the simulator did. */
  note(at: number, text: string): void {
    this.write(`${time(at)}  ~ ${text}`);
  }

  onControlEvent(event: ControlEvent): void {
    switch (event.type) {
      case 'allocation':
        if (event.changed) this.row(event.allocation);
        return;
      case 'sessionStarted':
        this.write(`${time(event.at)}  + ${event.ref} session ${event.transactionId} (${event.idTag})`);
        return;
      case 'sessionEnded':
        this.write(
          `${time(event.at)}  - ${event.ref} session ${event.transactionId} ended, ${(event.energyWh / 1000).toFixed(2)} kWh`,
        );
        return;
      case 'meterLost':
        this.write(
          `${time(event.at)}  ! meter ${event.meterId} lost (${englishMessage(event.reason)}): circuit ${event.circuitId} on its fail-safe budget`,
        );
        return;
      case 'meterRecovered':
        this.write(`${time(event.at)}  ✓ meter ${event.meterId} back: dynamic control resumes`);
        return;
      case 'chargerUnresponsive':
      case 'chargerResponsive':
        this.write(
          `${time(event.at)}  ! ${event.chargerId} ${event.type === 'chargerUnresponsive' ? 'unresponsive: its last limit stays reserved' : 'answers again'}`,
        );
        return;
      case 'connectorAdopted':
        this.write(`${time(event.at)}  ! ${event.ref} is not in the site file: adopted under its charger`);
        return;
      case 'connectorRefused':
        this.write(`${time(event.at)}  ! ${event.ref} refused: ${englishMessage(event.reason)}`);
        return;
      case 'profileFailed':
        this.write(
          `${time(event.at)}  ! ${formatConnectorRef(event.chargerId, event.connectorId)} refused ${event.amps} A (${event.outcome}), retry in ${event.retryInMs / 1000} s`,
        );
        return;
      default:
        return;
    }
  }

  private row(allocation: Allocation): void {
    const ids = allocation.connectors.map((a) => (a.connectorId === 1 ? a.chargerId : a.ref));
    const header = `time      ${ids.map((id) => pad(id, 6)).join('')} | chargers L1 L2 L3 | other load | budget`;
    if (header !== this.header || this.rows % 20 === 0) {
      this.header = header;
      this.write(header);
    }
    this.rows += 1;
    const root = allocation.circuits[0];
    const other = root?.otherLoadAmps
      ? phases(root.otherLoadAmps)
      : root?.meter === 'lost'
        ? ' meter lost'
        : '        - ';
    const budget = `${allocation.budget.value} ${allocation.budget.unit}`;
    this.write(
      `${time(allocation.at)}  ${allocation.connectors.map((a) => pad(cell(a), 6)).join('')} |  ${phases(allocation.totalAmps)}       | ${other.padEnd(10)} | ${budget}`,
    );
  }
}

/** The legend printed under the first header. */
export const LEGEND =
  'amps per phase; * VIP, c capped by the car (closed loop), m charger maximum, f meter fail-safe, p paused, r rotated out, u unresponsive, o offline, b booted without its fail-safe yet, - idle';
