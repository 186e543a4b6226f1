/** Id tags from the configuration: an accepted list (or any tag), VIP tags from the policy in force. */
import type { Policy } from '../../shared/policy/policy-schema';
import type { IdTagAuthorizer, IdTagDecision } from './central-system-ports';

export class LocalIdTags implements IdTagAuthorizer {
  private readonly accepted: ReadonlySet<string>;
  private readonly acceptAny: boolean;

  constructor(
    list: { readonly acceptAny: boolean; readonly accepted: readonly string[] },
    private readonly policy: () => Policy,
  ) {
    this.acceptAny = list.acceptAny;
    this.accepted = new Set(list.accepted);
  }

  authorize(_chargerId: string, idTag: string): Promise<IdTagDecision> {
    const vip = this.policy().vip.idTags.includes(idTag);
    const known = this.acceptAny || vip || this.accepted.has(idTag);
    return Promise.resolve({ status: known ? 'Accepted' : 'Invalid', vip });
  }
}
