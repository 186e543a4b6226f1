import { describe, expect, it } from 'vitest';
import { PolicySchema, type Policy } from '../../../../shared/policy/policy-schema';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { createControllerPolicySink } from '../../../../edge/sync/controller-policy-sink';

const site = SiteSchema.parse({ $schemaVersion: 1, id: 's', circuits: [{ id: 'grid', parent: null, fuseAmps: 63 }], chargers: [{ id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32 }] });

describe('createControllerPolicySink', () => {
  it('should put a policy naming this site’s connectors in force', () => {
    const set: Policy[] = [];
    const target = { get policy() { return set.at(-1)!; }, setPolicy: (p: Policy) => set.push(p) };
    const sink = createControllerPolicySink(target, site);
    const policy = PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 50 }, vip: { enabled: true, connectors: ['CP-1/1'] } });
    expect(sink.apply(policy, { version: 1, source: 'cloud' })).toEqual({ ok: true });
    expect(set).toEqual([policy]);
    expect(sink.inForce()).toBe(policy);
  });

  it('should refuse a policy naming a connector the site does not have, with its path', () => {
    const set: Policy[] = [];
    const sink = createControllerPolicySink({ policy: PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 50 } }), setPolicy: (p) => set.push(p) }, site);
    const policy = PolicySchema.parse({ $schemaVersion: 1, distribution: 'priority', budget: { unit: 'A', min: 0, max: 50 }, priorityLevels: [{ level: 1, connectors: ['CP-9/1'] }] });
    expect(sink.apply(policy, { version: 2, source: 'cloud' })).toEqual({ ok: false, issues: [{ path: 'priorityLevels[0].connectors[0]', message: 'connector "CP-9/1" is not part of this site' }] });
    expect(set).toHaveLength(0);
  });
});
