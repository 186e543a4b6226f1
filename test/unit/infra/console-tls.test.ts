/**
 * The console's TLS: CloudFront pins `*.cloudfront.net` to its TLSv1 policy, so a minimum set there only made `cdk synth`
 * warn (issue 16); with the console's own domain and certificate the distribution refuses anything below TLS 1.2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleSite, type ConsoleDomain } from '../../../infra/console-site';
import { PROJECT_ROOT } from '../../../infra/lambda-bundling';

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function consoleStack(domain?: ConsoleDomain): Stack {
  const outdir = mkdtempSync(join(tmpdir(), 'ampshare-console-tls-'));
  outdirs.push(outdir);
  const stack = new Stack(new App({ outdir }), 'Console');
  new ConsoleSite(stack, 'Console', {
    assetFolder: `${PROJECT_ROOT}infra/console-placeholder`,
    ...(domain && { domain }),
  });
  return stack;
}

describe('console distribution TLS', () => {
  it('should synthesize without a warning on the default domain, where CloudFront fixes the policy', () => {
    // Act
    const annotations = Annotations.fromStack(consoleStack());

    // Assert
    expect(annotations.findWarning('*', Match.stringLikeRegexp('minimumProtocolVersion'))).toEqual([]);
  });

  it("should require TLS 1.2 (TLSv1.2_2021) with the console's own domain and certificate", () => {
    // Arrange
    const domain = {
      domainName: 'console.example.org',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
    };

    // Act
    const template = Template.fromStack(consoleStack(domain));

    // Assert
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['console.example.org'],
        ViewerCertificate: {
          AcmCertificateArn: domain.certificateArn,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
  });
});
