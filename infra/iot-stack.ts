/**
 * The site gateways' side of IoT Core: the gateway thing type and IoT policy (used by the API's provisioner), and the
 * rules that carry site batches and gateway connects and disconnects (through the ingest queue) and policy shadow
 * reports to the ingest and shadow-sync Lambdas.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FleetFunction } from './fleet-function';
import { gatewayPolicyDocument } from './gateway-iot-policy';
import { IngestQueue } from './ingest-queue';
import { INGEST_RULE_SQL, PRESENCE_RULE_SQL, SHADOW_SYNC_RULE_SQL } from './iot-rules';
import { grantTableAccess, tableEnvironment } from './table-access';

export interface FleetIotStackProps extends StackProps {
  readonly table: ITable;
}

export class FleetIotStack extends Stack {
  readonly gatewayPolicyName: string;
  readonly thingTypeName: string;
  readonly ingest: FleetFunction;
  readonly ingestQueue: IngestQueue;
  readonly shadowSync: FleetFunction;

  constructor(scope: Construct, id: string, props: FleetIotStackProps) {
    super(scope, id, {
      description: 'ampshare IoT: gateway thing type and policy, rules to ingest and shadow-sync',
      ...props,
    });
    const thingType = new iot.CfnThingType(this, 'GatewayThingType', {
      thingTypeName: `${this.stackName}-gateway`,
      thingTypeProperties: {
        thingTypeDescription: 'An ampshare site gateway (edge agent)',
        searchableAttributes: ['tenantId', 'siteId'],
      },
    });
    const policy = new iot.CfnPolicy(this, 'GatewayPolicy', {
      policyName: `${this.stackName}-gateway`,
      policyDocument: gatewayPolicyDocument(this),
    });
    this.thingTypeName = thingType.ref;
    this.gatewayPolicyName = policy.ref;

    // A site sends a batch every few seconds at most: small functions, a timeout that covers DynamoDB retries.
    this.ingest = new FleetFunction(this, 'Ingest', {
      handler: 'ingest',
      description: 'Stores site telemetry, sessions, events and gateway connectivity from the ingest queue',
      environment: tableEnvironment(props.table),
      memorySizeMb: 256,
      timeout: Duration.seconds(30),
    });
    grantTableAccess(this.ingest.role, props.table, [
      'Query',
      'BatchGetItem',
      'BatchWriteItem',
      'PutItem',
      'UpdateItem',
    ]);
    this.ingestQueue = new IngestQueue(this, 'IngestQueue', { consumerTimeout: Duration.seconds(30) });
    // The event source grants the function receive, delete and change-visibility on this queue only.
    this.ingest.function.addEventSource(
      new SqsEventSource(this.ingestQueue.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    this.shadowSync = new FleetFunction(this, 'ShadowSync', {
      handler: 'shadow-sync',
      description: 'Records the policy version each site reports in its policy shadow',
      environment: tableEnvironment(props.table),
      memorySizeMb: 256,
      timeout: Duration.seconds(30),
    });
    grantTableAccess(this.shadowSync.role, props.table, ['Query', 'GetItem', 'PutItem']);

    const errors = new logs.LogGroup(this, 'RuleErrors', { retention: logs.RetentionDays.THREE_MONTHS });
    const errorRole = new iam.Role(this, 'RuleErrorRole', {
      assumedBy: new iam.ServicePrincipal('iot.amazonaws.com'),
      description: 'IoT rules write failed actions to their error log group',
    });
    errorRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [errors.logGroupArn],
      }),
    );
    const errorAction = { cloudwatchLogs: { logGroupName: errors.logGroupName, roleArn: errorRole.roleArn } };

    const sendRole = new iam.Role(this, 'IngestRuleRole', {
      assumedBy: new iam.ServicePrincipal('iot.amazonaws.com'),
      description: 'The ingest and presence IoT rules send to the ingest queue',
    });
    sendRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.ingestQueue.queue.queueArn] }),
    );
    const toIngestQueue = {
      sqs: { queueUrl: this.ingestQueue.queue.queueUrl, roleArn: sendRole.roleArn, useBase64: false },
    };
    this.rule(
      'IngestRule',
      'Site batches (telemetry, sessions, events) to the ingest queue',
      INGEST_RULE_SQL,
      toIngestQueue,
      errorAction,
    );
    this.rule(
      'PresenceRule',
      'Gateway connects and disconnects (lifecycle events) to the ingest queue',
      PRESENCE_RULE_SQL,
      toIngestQueue,
      errorAction,
    );
    const shadowSyncRule = this.rule(
      'ShadowSyncRule',
      'Policy shadow documents to the shadow-sync Lambda',
      SHADOW_SYNC_RULE_SQL,
      { lambda: { functionArn: this.shadowSync.function.functionArn } },
      errorAction,
    );
    this.allowInvoke(this.shadowSync.function, shadowSyncRule);
  }

  private rule(
    id: string,
    description: string,
    sql: string,
    action: iot.CfnTopicRule.ActionProperty,
    errorAction: iot.CfnTopicRule.ActionProperty,
  ): iot.CfnTopicRule {
    return new iot.CfnTopicRule(this, id, {
      topicRulePayload: {
        description,
        sql,
        awsIotSqlVersion: '2016-03-23',
        ruleDisabled: false,
        actions: [action],
        errorAction,
      },
    });
  }

  /** Only this rule (its ARN, in this account) may invoke the function. */
  private allowInvoke(target: IFunction, rule: iot.CfnTopicRule): void {
    target.addPermission(`${rule.node.id}Invoke`, {
      principal: new iam.ServicePrincipal('iot.amazonaws.com'),
      sourceArn: rule.attrArn,
      sourceAccount: this.account,
    });
  }
}
