/**
 * The fleet console as static files: a private, encrypted S3 bucket read only by CloudFront through origin access
 * control, with access logs of both in a separate log bucket. Deploys dist/browser/console (`npm run build`) when it has been built,
 * otherwise the placeholder page in infra/console-placeholder.
 */
import { existsSync } from 'node:fs';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { PROJECT_ROOT } from './lambda-bundling';

/** The built console if there is one, else the placeholder. */
export function consoleAssetFolder(root: string = PROJECT_ROOT): string {
  const built = `${root}dist/browser/console`;
  return existsSync(`${built}/index.html`) ? built : `${root}infra/console-placeholder`;
}

/** The console's own domain name and its ACM certificate (issued in us-east-1, as CloudFront requires). */
export interface ConsoleDomain {
  readonly domainName: string;
  readonly certificateArn: string;
}

export interface ConsoleSiteProps {
  readonly assetFolder: string;
  /**
   * Without one the console is at `*.cloudfront.net`, whose default certificate CloudFront pins to its TLSv1 policy
   * (a minimum set there has no effect): TLS 1.2 as the minimum needs the console's own domain and certificate.
   */
  readonly domain?: ConsoleDomain;
}

export class ConsoleSite extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly logBucket: s3.Bucket;
  readonly deployment: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    // CloudFront standard logging writes with ACLs, so this bucket (and only this one) keeps object-writer ownership.
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'console-bucket/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'ampshare fleet console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      ...(props.domain && {
        domainNames: [props.domain.domainName],
        certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'console-cdn/',
    });
    this.deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [s3deploy.Source.asset(props.assetFolder)],
      destinationBucket: bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Operators sign in from anywhere; the console is static files and every data call is authorized by the API.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static files only (no forms, no origin compute); a CloudFront WAF web ACL must live in us-east-1, which this region-agnostic app does not assume. Add one per deployment if required.',
      },
      ...(props.domain
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'The default *.cloudfront.net certificate cannot enforce a TLS minimum; with the consoleDomainName and consoleCertificateArn context the console has its own domain and TLSv1.2_2021.',
            },
          ]),
    );
    this.acknowledgeDeploymentHandler(
      Stack.of(this).resolve((bucket.node.defaultChild as s3.CfnBucket).logicalId) as string,
    );
  }

  /** BucketDeployment's handler is a CDK-provided singleton at stack level: its findings are CDK's design, not ours. */
  private acknowledgeDeploymentHandler(bucketLogicalId: string): void {
    const handler = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!handler) return;
    const reason = (why: string) => `CDK BucketDeployment handler (deploy-time only, not reachable by users): ${why}`;
    Validations.of(handler).acknowledge(
      { id: 'AwsSolutions-L1', reason: reason('its runtime is pinned by aws-cdk-lib') },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: reason('CDK attaches the basic execution role for its logs'),
      },
      ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: reason('CDK grant helpers use action groups, limited to the asset bucket and the console bucket'),
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: reason('cloudfront:CreateInvalidation and GetInvalidation support no resource-level permissions'),
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
        reason: reason('it writes every object of the console bucket'),
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        reason: reason('it reads the uploaded asset zip from the CDK bootstrap bucket'),
      },
    );
  }
}
