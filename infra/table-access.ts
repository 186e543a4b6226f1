/** Least-privilege DynamoDB grants on the fleet table: only the named actions, on the table and (for queries) its one GSI. */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { GSI1 } from '../cloud/db/table-definition';

export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'Query'
  | 'ConditionCheckItem';

/**
 * Grants `actions` on the table; `Query` also covers GSI1 (named, not `index/*`). The table uses the AWS managed
 * key, whose key policy already lets DynamoDB use it for any principal allowed on the table: no KMS grant needed.
 */
export function grantTableAccess(role: iam.IRole, table: ITable, actions: readonly TableAction[]): void {
  const resources = actions.includes('Query')
    ? [table.tableArn, `${table.tableArn}/index/${GSI1.name}`]
    : [table.tableArn];
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: [...new Set(actions)].map((action) => `dynamodb:${action}`), resources }),
  );
}

/** The environment every handler reads the table from (cloud/handlers/handler-env.ts). */
export function tableEnvironment(table: ITable): Record<string, string> {
  return { TABLE_NAME: table.tableName };
}
