/** The fleet's data: the single DynamoDB table declared from cloud/db/table-definition.ts (the same keys the code uses). */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { FLEET_TABLE_DEFINITION } from '../cloud/db/table-definition';

const attribute = (key: { readonly name: string; readonly type: 'string' }): dynamodb.Attribute => ({
  name: key.name,
  type: dynamodb.AttributeType.STRING,
});

export class FleetDataStack extends Stack {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'ampshare fleet data: the DynamoDB single table', ...props });
    const definition = FLEET_TABLE_DEFINITION;
    this.table = new dynamodb.Table(this, 'FleetTable', {
      partitionKey: attribute(definition.partitionKey),
      sortKey: attribute(definition.sortKey),
      // On demand: sites report at a steady rate, operators read in bursts; no capacity to plan.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: definition.timeToLiveAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of definition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
