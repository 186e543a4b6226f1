import { describe, expect, it } from 'vitest';
import { policySiteIssues } from '../../../../shared/policy/policy-fits-site';
import { PolicySchema, type PolicyInput } from '../../../../shared/policy/policy-schema';
import { SiteSchema } from '../../../../shared/site/site-schema';

const site = SiteSchema.parse({
  $schemaVersion: 1,
  id: 's',
  circuits: [{ id: 'grid', parent: null, fuseAmps: 63 }],
  chargers: [
    { id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32, connectors: [{ id: 1 }, { id: 2 }] },
    { id: 'CP-2', circuit: 'grid', phases: 3, maxAmps: 32 },
  ],
});
const policy = (patch: Partial<PolicyInput>) =>
  PolicySchema.parse({ $schemaVersion: 1, distribution: 'priority', budget: { unit: 'A', min: 0, max: 50 }, ...patch });

/** The reason a page translates the issue by (issue 16). */
const unknown = (connector: string) => ({ reason: 'policy.unknownConnector', params: { connector } });

describe('policySiteIssues', () => {
  it('should find nothing wrong with a policy naming only connectors of the site', () => {
    expect(
      policySiteIssues(
        policy({
          vip: { enabled: true, connectors: ['CP-1/2'] },
          priorityLevels: [{ level: 2, connectors: ['CP-1/1', 'CP-2/1'] }],
        }),
        site,
      ),
    ).toEqual([]);
  });

  it('should find nothing wrong with a policy naming no connector, even on a site without chargers', () => {
    expect(policySiteIssues(policy({ vip: { enabled: true, idTags: ['VIP-1'] } }), { chargers: [] })).toEqual([]);
  });

  it('should name every connector the site lacks by its path in the policy', () => {
    const issues = policySiteIssues(
      policy({
        vip: { enabled: true, connectors: ['CP-1/1', 'CP-1/3', 'CP-9/1'] },
        priorityLevels: [
          { level: 2, connectors: ['CP-2/1'] },
          { level: 3, connectors: ['CP-2/2'] },
        ],
      }),
      site,
    );
    expect(issues).toEqual([
      { path: 'vip.connectors[1]', message: 'connector "CP-1/3" is not part of this site', ...unknown('CP-1/3') },
      { path: 'vip.connectors[2]', message: 'connector "CP-9/1" is not part of this site', ...unknown('CP-9/1') },
      {
        path: 'priorityLevels[1].connectors[0]',
        message: 'connector "CP-2/2" is not part of this site',
        ...unknown('CP-2/2'),
      },
    ]);
  });

  it('should check a disabled VIP list too: enabling it later must not need another check', () => {
    expect(policySiteIssues(policy({ vip: { enabled: false, connectors: ['CP-9/1'] } }), site)).toEqual([
      { path: 'vip.connectors[0]', message: 'connector "CP-9/1" is not part of this site', ...unknown('CP-9/1') },
    ]);
  });
});
