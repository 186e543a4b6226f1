import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { parseEdgeConfig } from '../../../../edge/config/load-config';
import { endpointOf } from '../../../../edge/upstream/upstream-config';

const example = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../../../../config/example-site.json'), 'utf8'),
) as { site: { chargers: { id: string }[] } };
const chargerId = example.site.chargers[0]?.id ?? 'missing';
const withUpstream = (upstream: unknown) => ({ ...example, upstream });

function issuesOf(input: unknown): string[] {
  try {
    parseEdgeConfig(input, '/etc/ampshare');
  } catch (error) {
    if (AppError.match(error, 'config.invalid')) return error.details.map((d) => `${d.path}: ${d.message}`);
    throw error;
  }
  return [];
}

describe('edge configuration: the upstream section', () => {
  it('should leave the agent without a CSMS when the section is absent', () => {
    expect(parseEdgeConfig(example, '/etc/ampshare').upstream).toBeUndefined();
  });

  it("should fill in the defaults, resolve its files and give each charger its own URL and password or the site's", () => {
    // Act
    const config = parseEdgeConfig(
      withUpstream({
        csmsUrl: 'wss://csms.example.com/ocpp',
        password: 'shared-secret-0123',
        chargers: { [chargerId]: { csmsUrl: 'wss://other.example.com/ocpp' } },
        tls: { caPath: 'csms-ca.pem' },
      }),
      '/etc/ampshare',
    );

    // Assert
    const upstream = config.upstream;
    expect(upstream).toMatchObject({
      unknownTags: 'reject',
      freeCharging: false,
      authorizationCacheMaxAgeSeconds: 604_800,
      answerTimeoutMs: 5_000,
      callTimeoutMs: 30_000,
      reconnect: { initialDelayMs: 1_000, maxDelayMs: 60_000 },
      tls: { caPath: '/etc/ampshare/csms-ca.pem' },
    });
    if (upstream === undefined) throw new Error('no upstream');
    expect(endpointOf(upstream, chargerId)).toEqual({
      url: 'wss://other.example.com/ocpp',
      password: 'shared-secret-0123',
    });
    expect(endpointOf(upstream, 'another')).toEqual({
      url: 'wss://csms.example.com/ocpp',
      password: 'shared-secret-0123',
    });
  });

  it('should list every bad field of the section', () => {
    expect(
      issuesOf(
        withUpstream({
          csmsUrl: 'http://csms.example.com/',
          chargers: { 'NOT-IN-SITE': {} },
          tls: { certPath: 'client.pem' },
          unknownTags: 'maybe',
          extra: true,
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^upstream\.csmsUrl: expected ws/),
        expect.stringMatching(/^upstream\.tls\.keyPath: certPath and keyPath go together/),
        expect.stringMatching(/^upstream\.unknownTags: /),
        expect.stringMatching(/^upstream: .*extra/),
      ]),
    );
    expect(issuesOf(withUpstream({ csmsUrl: 'ws://csms/ocpp', chargers: { 'NOT-IN-SITE': {} } }))).toEqual([
      'upstream.chargers.NOT-IN-SITE: no charger "NOT-IN-SITE" in the site',
    ]);
    expect(issuesOf(withUpstream({ csmsUrl: 'ws://csms/ocpp', tls: { certPath: 'c.pem', keyPath: 'k.pem' } }))).toEqual(
      ['upstream.tls.certPath: a client certificate needs wss:// URLs'],
    );
  });
});
