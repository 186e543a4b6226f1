/**
 * A connector's state as the allocator sees it, built again only when something it is built from changed. Every round
 * hands the allocator every connector, while at 1,000 chargers a round sees a few dozen new samples: building every
 * state, session and measurement anew each round was the control loop's largest cost (docs/benchmarks.md, "The
 * control round's per-connector costs"). The state is read only, so handing the same object to several rounds is safe.
 */
import type { ConnectorState, ConnectorStatus, LinkState, Session } from '../../shared/site/site-state';
import type { SmoothedDraw } from './draw-history';

/** What a session's part of the state is built from; only `energyWh` changes while the session runs. */
export interface ViewedSession {
  readonly transactionId: number;
  readonly startedAt: number;
  readonly energyWh: number;
  readonly idTag?: string | undefined;
}

export class ConnectorView {
  private status: ConnectorStatus | undefined;
  private link: LinkState | undefined;
  private session: ViewedSession | undefined;
  private energyWh: number | undefined;
  private smoothed: SmoothedDraw | undefined;
  private carPhases: 1 | 2 | 3 | undefined;
  private enforcedAmps: number | undefined;
  private unleasedAmps: number | undefined;
  private state: ConnectorState | undefined;

  constructor(private readonly ref: string) {}

  /**
   * The state from these (`smoothed`: the session's smoothed draw, the same object while the draw history did not
   * change); the object handed out last time when none of them changed.
   */
  of(
    status: ConnectorStatus,
    link: LinkState,
    session: ViewedSession | undefined,
    smoothed: SmoothedDraw | undefined,
    carPhases: 1 | 2 | 3 | undefined,
    enforcedAmps: number | undefined,
    unleasedAmps: number | undefined,
  ): ConnectorState {
    if (
      this.state !== undefined &&
      status === this.status &&
      link === this.link &&
      session === this.session &&
      session?.energyWh === this.energyWh &&
      smoothed === this.smoothed &&
      carPhases === this.carPhases &&
      enforcedAmps === this.enforcedAmps &&
      unleasedAmps === this.unleasedAmps
    )
      return this.state;
    this.status = status;
    this.link = link;
    this.session = session;
    this.energyWh = session?.energyWh;
    this.smoothed = smoothed;
    this.carPhases = carPhases;
    this.enforcedAmps = enforcedAmps;
    this.unleasedAmps = unleasedAmps;
    this.state = build(this.ref, status, link, session, smoothed, carPhases, enforcedAmps, unleasedAmps);
    return this.state;
  }
}

function build(
  ref: string,
  status: ConnectorStatus,
  link: LinkState,
  viewed: ViewedSession | undefined,
  smoothed: SmoothedDraw | undefined,
  carPhases: 1 | 2 | 3 | undefined,
  enforcedAmps: number | undefined,
  unleasedAmps: number | undefined,
): ConnectorState {
  const measured = smoothed && {
    amps: [smoothed.amps[0], smoothed.amps[1], smoothed.amps[2]] as [number, number, number],
    at: smoothed.at,
    ...(smoothed.steadyAtAmps !== undefined && { steadyAtAmps: smoothed.steadyAtAmps }),
  };
  const session: Session | undefined = viewed && {
    id: String(viewed.transactionId),
    startedAt: viewed.startedAt,
    energyWh: viewed.energyWh,
    ...(viewed.idTag !== undefined && { idTag: viewed.idTag }),
    ...(measured !== undefined && { measured }),
    ...(carPhases !== undefined && { carPhases }),
  };
  return {
    ref,
    status,
    link,
    ...(session && { session }),
    ...(enforcedAmps !== undefined && { enforcedAmps }),
    ...(unleasedAmps !== undefined && { unleasedAmps }),
  };
}
