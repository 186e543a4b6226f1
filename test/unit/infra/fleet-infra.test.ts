/**
 * The whole CDK app, synthesized once for this file (NodejsFunction bundles the four handlers with esbuild), then
 * checked with Template.fromStack and the cdk-nag AwsSolutions pack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayThingName } from '../../../cloud/api/gateway-routes';
import { TTL_ATTRIBUTE } from '../../../cloud/db/table-definition';
import { createFleetApp, type FleetApp } from '../../../infra/fleet-app';
import { GATEWAY_THING_PREFIX } from '../../../infra/iot-access';
import { PRESENCE_RULE_SQL } from '../../../infra/iot-rules';
import { gatewayGrants } from '../../../shared/sync/gateway-grants';
import { renderValue, statementsOf, type Statement } from './template-values';

let outdir: string;
let fleet: FleetApp;
let templates: { data: Template; iot: Template; api: Template };

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'ampshare-cdk-'));
  fleet = createFleetApp({ outdir });
  templates = {
    data: Template.fromStack(fleet.data),
    iot: Template.fromStack(fleet.iot),
    api: Template.fromStack(fleet.api),
  };
}, 180_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const resourcesOf = (template: Template, type: string) =>
  Object.entries(template.findResources(type)) as Array<[string, { Properties: Record<string, unknown> }]>;
const allTemplates = () => Object.values(templates);

describe('data stack', () => {
  it('should declare the fleet table on demand with PITR, encryption, TTL and deletion protection', () => {
    templates.data.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      DeletionProtectionEnabled: true,
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [{ IndexName: 'GSI1', Projection: { ProjectionType: 'ALL' } }],
    });
  });
});

describe('IoT stack', () => {
  const gatewayPolicy = () => {
    const policies = resourcesOf(templates.iot, 'AWS::IoT::Policy');
    expect(policies).toHaveLength(1);
    return statementsOf(policies[0]![1].Properties.PolicyDocument);
  };
  const OWN_THING = '${iot:Connection.Thing.ThingName}';
  const IOT_ARN = 'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:';

  it('should let a gateway connect only as its own thing, with its certificate attached to that thing', () => {
    const connect = gatewayPolicy().filter((s) => s.actions.includes('iot:Connect'));
    expect(connect).toHaveLength(1);
    expect(connect[0]!.resources).toEqual([`${IOT_ARN}client/${OWN_THING}`]);
    expect(connect[0]!.Condition).toEqual({ Bool: { 'iot:Connection.Thing.IsAttached': 'true' } });
  });

  it('should grant exactly the shared gateway grants (the local broker evaluates the same), all under the own thing name', () => {
    const statements = gatewayPolicy();
    expect(
      statements.every((s) => s.Effect === 'Allow' && s.actions.length === 1 && s.actions[0]!.startsWith('iot:')),
    ).toBe(true);
    const grants = gatewayGrants(OWN_THING);
    const resourcesFor = (action: string) =>
      statements.filter((s) => s.actions[0] === action).flatMap((s) => s.resources);
    expect(resourcesFor('iot:Publish')).toEqual(grants.publish.map((topic) => `${IOT_ARN}topic/${topic}`));
    expect(resourcesFor('iot:Subscribe')).toEqual(grants.subscribe.map((filter) => `${IOT_ARN}topicfilter/${filter}`));
    expect(resourcesFor('iot:Receive')).toEqual(grants.receive.map((topic) => `${IOT_ARN}topic/${topic}`));
    expect(statements.map((s) => s.actions[0]).sort()).toEqual([
      'iot:Connect',
      'iot:Publish',
      'iot:Receive',
      'iot:Subscribe',
    ]);

    const topicResources = statements.filter((s) => !s.actions.includes('iot:Connect')).flatMap((s) => s.resources);
    for (const resource of topicResources) {
      const name = resource.replace(
        /^arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:(topic|topicfilter)\//,
        '',
      );
      expect(name).not.toBe(resource);
      // Keyed by the thing name (unique, bound to one tenant and site), never by a site id two tenants may share.
      expect(
        name.startsWith(`ampshare/gateways/${OWN_THING}/`) ||
          name.startsWith(`$aws/things/${OWN_THING}/shadow/name/policy/`),
      ).toBe(true);
      expect(name).not.toMatch(/siteId|Attributes|ampshare\/sites/);
      // A wildcard may only follow the thing's own shadow prefix.
      if (name.includes('*')) expect(name).toBe(`$aws/things/${OWN_THING}/shadow/name/policy/*`);
    }
    expect(resourcesFor('iot:Publish')).toEqual(
      expect.arrayContaining([
        `${IOT_ARN}topic/ampshare/gateways/${OWN_THING}/telemetry`,
        `${IOT_ARN}topic/$aws/things/${OWN_THING}/shadow/name/policy/update`,
      ]),
    );
    expect(resourcesFor('iot:Publish')).not.toContain(`${IOT_ARN}topic/ampshare/gateways/${OWN_THING}/commands`);
  });

  const rules = () =>
    resourcesOf(templates.iot, 'AWS::IoT::TopicRule').map(
      ([, r]) =>
        r.Properties.TopicRulePayload as {
          Sql: string;
          Actions: Array<Record<string, Record<string, unknown>>>;
          ErrorAction: Record<string, object>;
        },
    );
  const ruleFrom = (topicFilter: string) => rules().find((r) => r.Sql.includes(`FROM '${topicFilter}'`))!;
  const queues = () => resourcesOf(templates.iot, 'AWS::SQS::Queue');
  const ingestQueue = () => queues().find(([, q]) => q.Properties.RedrivePolicy !== undefined)!;

  it('should send site streams to the ingest queue and policy shadow documents to shadow-sync, with failures to a log group', () => {
    expect(rules()).toHaveLength(3);
    for (const rule of rules())
      expect(Object.keys(rule.ErrorAction.CloudwatchLogs!).sort()).toEqual(['LogGroupName', 'RoleArn']);
    const ingest = ruleFrom('ampshare/gateways/+/+').Actions;
    expect(ingest.map((a) => Object.keys(a))).toEqual([['Sqs']]);
    expect(ingest[0]!.Sqs).toMatchObject({ QueueUrl: { Ref: ingestQueue()[0] }, UseBase64: false });
    expect(ruleFrom('$aws/things/+/shadow/name/policy/update/documents').Actions.map((a) => Object.keys(a))).toEqual([
      ['Lambda'],
    ]);
    const permissions = resourcesOf(templates.iot, 'AWS::Lambda::Permission').map(([, p]) => p.Properties);
    expect(permissions).toHaveLength(1);
    expect(permissions[0]).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'iot.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^ShadowSyncRule/), 'Arn'] },
    });
  });

  it("should send gateways' lifecycle events (connect, disconnect) to the ingest queue, which sets the site's connectivity", () => {
    const presence = ruleFrom('$aws/events/presence/+/+');
    expect(presence.Sql).toBe(PRESENCE_RULE_SQL);
    expect(presence.Sql).toMatch(
      /^SELECT clientId, eventType, timestamp, versionNumber, clientInitiatedDisconnect, disconnectReason FROM/,
    );
    expect(presence.Sql).toContain(`WHERE startswith(clientId, '${GATEWAY_THING_PREFIX}')`);
    expect(presence.Actions).toEqual([{ Sqs: ruleFrom('ampshare/gateways/+/+').Actions[0]!.Sqs }]);
    expect(Object.keys(presence.ErrorAction)).toEqual(['CloudwatchLogs']);
  });

  it('should let the ingest rule only send to the ingest queue', () => {
    const roleArn = renderValue(ruleFrom('ampshare/gateways/+/+').Actions[0]!.Sqs!.RoleArn);
    const roleId = /^<(\w+)\.Arn>$/.exec(roleArn)![1]!;
    const statements = resourcesOf(templates.iot, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => statementsOf(p.Properties.PolicyDocument));
    expect(statements).toEqual([
      { Effect: 'Allow', actions: ['sqs:SendMessage'], resources: [`<${ingestQueue()[0]}.Arn>`] },
    ]);
  });

  it('should keep the ingest queue and its dead-letter queue encrypted, SSL-only, 14 days, dead letters after 10 receives', () => {
    expect(queues()).toHaveLength(2);
    for (const [, queue] of queues())
      expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    const [queueId, queue] = ingestQueue();
    const deadLetterId = queues().find(([id]) => id !== queueId)![0];
    expect(queue.Properties).toMatchObject({
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] }, maxReceiveCount: 10 },
      VisibilityTimeout: 180,
    });
    const sslOnly = resourcesOf(templates.iot, 'AWS::SQS::QueuePolicy').map(([, p]) => ({
      queues: p.Properties.Queues,
      statements: statementsOf(p.Properties.PolicyDocument),
    }));
    expect(sslOnly.map((p) => p.queues)).toEqual(expect.arrayContaining([[{ Ref: queueId }], [{ Ref: deadLetterId }]]));
    for (const policy of sslOnly)
      expect(policy.statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    templates.iot.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterId, 'QueueName'] } }],
    });
  });

  it('should feed the ingest Lambda from the queue ten records at a time, reporting batch item failures', () => {
    const [queueId] = ingestQueue();
    templates.iot.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('^IngestFunction') },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('should use the thing-name prefix that the API gives every gateway', () => {
    expect(gatewayThingName('site-1', 'abc123')).toMatch(new RegExp(`^${GATEWAY_THING_PREFIX}`));
  });
});

describe('API stack', () => {
  it('should require the Cognito JWT authorizer on every route but the public OpenAPI document', () => {
    const authorizers = resourcesOf(templates.api, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(renderValue((authorizer.Properties.JwtConfiguration as { Issuer: unknown }).Issuer)).toMatch(
      /^https:\/\/cognito-idp\.<AWS::Region>\.amazonaws\.com\/<AuthOperators.*>$/,
    );
    const routes = resourcesOf(templates.api, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual([
      'DELETE /{proxy+}',
      'GET /openapi.json',
      'GET /{proxy+}',
      'PATCH /{proxy+}',
      'POST /{proxy+}',
      'PUT /{proxy+}',
    ]);
    for (const route of routes.filter((r) => r.RouteKey !== 'GET /openapi.json')) {
      expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
  });

  it('should log every request of the API stage and allow CORS from the console', () => {
    templates.api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
    const api = resourcesOf(templates.api, 'AWS::ApiGatewayV2::Api')[0]![1].Properties;
    const origins = ((api.CorsConfiguration as { AllowOrigins: unknown[] }).AllowOrigins ?? []).map(renderValue);
    expect(origins).toEqual([expect.stringMatching(/^https:\/\/<ConsoleCdn.*\.DomainName>$/)]);
  });

  it('should expose no dev login: no route for it, and the console only as static files (GET and HEAD)', () => {
    const routeKeys = resourcesOf(templates.api, 'AWS::ApiGatewayV2::Route').map(([, r]) =>
      String(r.Properties.RouteKey),
    );
    expect(routeKeys.filter((key) => /dev-login|console/i.test(key))).toEqual([]);
    const distributions = resourcesOf(templates.api, 'AWS::CloudFront::Distribution').map(
      ([, d]) =>
        d.Properties.DistributionConfig as {
          DefaultCacheBehavior: { AllowedMethods?: string[] };
          CacheBehaviors?: unknown[];
          Origins: Array<Record<string, unknown>>;
        },
    );
    expect(distributions).toHaveLength(1);
    const [distribution] = distributions;
    // CloudFront's default (no AllowedMethods) is GET and HEAD: a POST never reaches an origin.
    expect(distribution!.DefaultCacheBehavior.AllowedMethods ?? ['GET', 'HEAD']).toEqual(['GET', 'HEAD']);
    expect(distribution!.CacheBehaviors).toBeUndefined();
    expect(distribution!.Origins.map((o) => Object.keys(o).filter((k) => k.endsWith('OriginConfig')))).toEqual([
      ['S3OriginConfig'],
    ]);
  });

  it('should serve the console from a private bucket through CloudFront origin access control', () => {
    templates.api.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(resourcesOf(templates.api, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
  });
});

describe('every stack', () => {
  it('should run each handler on Node 22 on arm64', () => {
    const functions = allTemplates().flatMap((t) =>
      resourcesOf(t, 'AWS::Lambda::Function').map(([, f]) => f.Properties),
    );
    const ours = functions.filter((f) => String(f.Runtime).startsWith('nodejs'));
    expect(ours).toHaveLength(4);
    for (const fn of ours)
      expect(fn).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
  });

  it('should grant least privilege: no wildcard actions, "*" resources only where AWS allows no resource, table actions per handler', () => {
    const policies = allTemplates()
      .flatMap((t) => resourcesOf(t, 'AWS::IAM::Policy'))
      .map(([id, p]) => ({ id, statements: statementsOf(p.Properties.PolicyDocument) }));
    const everyStatement = policies.flatMap((p) => p.statements);
    expect(everyStatement.flatMap((s) => s.actions).filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
    const starActions = new Set(everyStatement.filter((s) => s.resources.includes('*')).flatMap((s) => s.actions));
    // CreateKeysAndCertificate and DescribeEndpoint have no resource type; CloudFront invalidations belong to CDK's BucketDeployment.
    expect([...starActions].sort()).toEqual([
      'cloudfront:CreateInvalidation',
      'cloudfront:GetInvalidation',
      'iot:CreateKeysAndCertificate',
      'iot:DescribeEndpoint',
    ]);

    const tableActions = (prefix: string) =>
      policies
        .filter((p) => p.id.startsWith(prefix))
        .flatMap((p) => p.statements)
        .flatMap((s: Statement) => s.actions.filter((a) => a.startsWith('dynamodb:')))
        .sort();
    expect(tableActions('IngestRole')).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    const ingestQueueActions = policies
      .filter((p) => p.id.startsWith('IngestRole'))
      .flatMap((p) => p.statements)
      .flatMap((s) => s.actions.filter((a) => a.startsWith('sqs:')));
    expect(ingestQueueActions.sort()).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
    expect(tableActions('ShadowSyncRole')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    expect(tableActions('PolicyPushRole')).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(tableActions('ApiRole')).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);

    const shadowWrites = everyStatement.filter((s) => s.actions.includes('iot:UpdateThingShadow'));
    expect(shadowWrites).toHaveLength(2);
    for (const s of shadowWrites)
      expect(s.resources).toEqual([
        `arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/${GATEWAY_THING_PREFIX}*/policy`,
      ]);
    const roles = allTemplates()
      .flatMap((t) => resourcesOf(t, 'AWS::IAM::Role'))
      .map(([id, r]) => ({ id, managed: r.Properties.ManagedPolicyArns }));
    expect(
      roles.filter((r) => r.managed !== undefined && !r.id.startsWith('CustomCDKBucketDeployment')).map((r) => r.id),
    ).toEqual([]);
  });

  it('should have no unacknowledged cdk-nag AwsSolutions finding', () => {
    const report = new AwsSolutionsChecks().validateScope(fleet.app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId ?? '?'}`),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });
});
