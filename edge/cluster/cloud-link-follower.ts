/**
 * The site's cloud link follows leadership (docs/cluster.md, "The cloud link"). The cloud registers one gateway per
 * site, and its thing name is the MQTT client id: a broker (AWS IoT, aedes) drops the older connection each time
 * another connects with the same id, so two nodes' links would take the broker from each other for as long as both
 * ran. So a node opens the link once it leads (serves as master after its rebuild; on two gateways without a witness,
 * once it may exceed the fail-safe) and closes it at its fence; a standby keeps none. What its outbox queues meanwhile
 * waits there for the next time it leads. A LeadershipListener beside the takeover report: synchronous, never throws.
 * The links to an operator's CSMS follow leadership the same way, through a follower of their own (one connection per
 * charger identity at the CSMS).
 */
import type { LeadershipListener } from './leadership';

/** The agent's cloud link (edge/sync/edge-sync.ts). */
export interface CloudLink {
  openLink(): void;
  closeLink(): Promise<void>;
}

export class CloudLinkFollower implements LeadershipListener {
  private link: CloudLink | undefined;
  private leading = false;

  constructor(private readonly log: { error(data: object, message: string): void }) {}

  /** The link, once the agent has built it (none without a `sync` section); opened at once if the node leads. */
  attach(link: CloudLink | undefined): void {
    this.link = link;
    if (this.leading) link?.openLink();
  }

  /** Whether the node leads now, as it last said. */
  leads(): boolean {
    return this.leading;
  }

  /** Opens or closes the link when leading changes. */
  lead(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    if (leading) this.link?.openLink();
    else this.link?.closeLink().catch((error: unknown) => this.log.error({ err: error }, 'cloud link not closed'));
  }

  elected(): void {
    this.lead(true);
  }

  fenced(): void {
    this.lead(false);
  }
}
