/**
 * The operators' side: the fleet HTTP API (api Lambda behind API Gateway with a Cognito JWT authorizer), the
 * policy-push Lambda for asynchronous fan-out, the operator user pool and the fleet console on CloudFront.
 */
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type ConsoleDomain, ConsoleSite } from './console-site';
import { FleetFunction } from './fleet-function';
import { grantDescribeEndpoint, grantGatewayProvisioning, grantPolicyShadowUpdate } from './iot-access';
import { OperatorAuth, TENANT_CLAIM } from './operator-auth';
import { grantTableAccess, tableEnvironment } from './table-access';

export interface FleetApiStackProps extends StackProps {
  readonly table: ITable;
  readonly gatewayPolicyName: string;
  readonly thingTypeName: string;
  /** The account's IoT data endpoint; when absent the Lambdas look it up (and get iot:DescribeEndpoint). */
  readonly iotDataEndpoint?: string;
  /** Extra browser origins allowed by CORS besides the console's (e.g. `http://localhost:5173` for development). */
  readonly extraCorsOrigins?: readonly string[];
  /** The console's static files. */
  readonly consoleAssetFolder: string;
  /** The console's own domain and certificate: TLS 1.2 as the minimum (see ConsoleSiteProps). */
  readonly consoleDomain?: ConsoleDomain;
}

/** Methods the API serves behind the authorizer; OPTIONS is left to API Gateway's CORS preflight. */
const AUTHORIZED_METHODS = [
  apigwv2.HttpMethod.GET,
  apigwv2.HttpMethod.POST,
  apigwv2.HttpMethod.PUT,
  apigwv2.HttpMethod.PATCH,
  apigwv2.HttpMethod.DELETE,
];

const CORS_METHODS = [
  apigwv2.CorsHttpMethod.GET,
  apigwv2.CorsHttpMethod.POST,
  apigwv2.CorsHttpMethod.PUT,
  apigwv2.CorsHttpMethod.PATCH,
  apigwv2.CorsHttpMethod.DELETE,
  apigwv2.CorsHttpMethod.OPTIONS,
];

/** One JSON line per request, from HTTP API context variables only (REST-only variables would fail the deployment). */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    requestTime: '$context.requestTime',
    method: '$context.httpMethod',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    authorizerError: '$context.authorizer.error',
    integrationError: '$context.integrationErrorMessage',
  }),
);

export class FleetApiStack extends Stack {
  readonly api: FleetFunction;
  readonly policyPush: FleetFunction;
  readonly httpApi: apigwv2.HttpApi;
  readonly auth: OperatorAuth;
  readonly console: ConsoleSite;

  constructor(scope: Construct, id: string, props: FleetApiStackProps) {
    super(scope, id, { description: 'ampshare fleet API, policy push, operator sign-in and console', ...props });
    this.auth = new OperatorAuth(this, 'Auth');
    this.console = new ConsoleSite(this, 'Console', {
      assetFolder: props.consoleAssetFolder,
      ...(props.consoleDomain && { domain: props.consoleDomain }),
    });
    const consoleUrl = `https://${props.consoleDomain?.domainName ?? this.console.distribution.distributionDomainName}`;
    const endpoint: Record<string, string> =
      props.iotDataEndpoint !== undefined ? { IOT_DATA_ENDPOINT: props.iotDataEndpoint } : {};

    this.api = new FleetFunction(this, 'Api', {
      handler: 'api',
      description: 'The fleet HTTP API (Hono)',
      environment: {
        ...tableEnvironment(props.table),
        ...endpoint,
        AUTH_ISSUER: this.auth.issuer,
        AUTH_AUDIENCE: this.auth.client.userPoolClientId,
        AUTH_TENANT_CLAIM: TENANT_CLAIM,
        AUTH_ALGORITHMS: 'RS256',
        IOT_POLICY_NAME: props.gatewayPolicyName,
        IOT_THING_TYPE_NAME: props.thingTypeName,
      },
      memorySizeMb: 1024,
    });
    grantTableAccess(this.api.role, props.table, [
      'GetItem',
      'PutItem',
      'UpdateItem',
      'DeleteItem',
      'Query',
      'BatchWriteItem',
    ]);
    grantGatewayProvisioning(this.api.role, props.gatewayPolicyName, props.thingTypeName);
    grantPolicyShadowUpdate(this.api.role);

    this.policyPush = new FleetFunction(this, 'PolicyPush', {
      handler: 'policy-push',
      description: "Publishes sites' desired policies to their gateways' policy shadow (asynchronous fan-out)",
      environment: { ...tableEnvironment(props.table), ...endpoint },
      timeout: Duration.minutes(5),
    });
    grantTableAccess(this.policyPush.role, props.table, ['GetItem', 'Query']);
    grantPolicyShadowUpdate(this.policyPush.role);
    this.policyPush.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1) });

    if (props.iotDataEndpoint === undefined) {
      grantDescribeEndpoint(this.api.role);
      grantDescribeEndpoint(this.policyPush.role);
    }

    this.httpApi = this.createHttpApi([consoleUrl, ...(props.extraCorsOrigins ?? [])]);

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint });
    new CfnOutput(this, 'ConsoleUrl', { value: consoleUrl });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, 'PolicyPushFunctionName', { value: this.policyPush.function.functionName });
  }

  /** Every route but the public OpenAPI document requires a valid Cognito ID token; access logs go to their own log group. */
  private createHttpApi(corsOrigins: string[]): apigwv2.HttpApi {
    const httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'ampshare fleet API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: corsOrigins,
        allowMethods: CORS_METHODS,
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
      throttle: { rateLimit: 200, burstLimit: 400 },
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', this.api.function);
    const authorizer = new HttpJwtAuthorizer('CognitoAuthorizer', this.auth.issuer, {
      jwtAudience: [this.auth.client.userPoolClientId],
    });
    for (const route of httpApi.addRoutes({ path: '/openapi.json', methods: [apigwv2.HttpMethod.GET], integration })) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The OpenAPI description is public on purpose (it holds no data); every other route requires the Cognito JWT authorizer.',
      });
    }
    httpApi.addRoutes({ path: '/{proxy+}', methods: AUTHORIZED_METHODS, integration, authorizer });
    return httpApi;
  }
}
