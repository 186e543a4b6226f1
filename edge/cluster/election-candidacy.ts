/**
 * The candidacy a node follows live: the site's election setting as it reads it from etcd at each decision
 * (election-setting.ts), static (static-candidacy.ts) or dynamic (always). Leadership asks before each campaign and, while
 * it is a candidate that does not lead, at each renewal; a leader never asks. So a change of setting never deposes the
 * master (no takeover it did not need), a candidate the new setting excludes withdraws, and a node the new setting lets
 * campaign starts at its next retry; etcd's election still picks one leader among the candidates, so there is never a
 * moment with two. Without etcd's quorum the read fails and the node does not campaign (it could not win anyway).
 */
import type { ElectionSetting } from './election-setting';
import { type Candidacy, StaticCandidacy } from './static-candidacy';

export class ElectionCandidacy implements Candidacy {
  constructor(
    private readonly setting: { read(): Promise<ElectionSetting> },
    private readonly presence: { healthy(): Promise<Set<string>> },
    private readonly nodeId: string,
  ) {}

  async allowed(): Promise<boolean> {
    const setting = await this.setting.read();
    if (setting.electionType === 'dynamic') return true;
    return new StaticCandidacy(this.presence, setting.staticOrder, this.nodeId).allowed();
  }
}
