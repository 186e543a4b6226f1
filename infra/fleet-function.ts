/** One Lambda handler of cloud/handlers as a function: Node 22 on arm64, bundled by esbuild, its own role and log group. */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HANDLER_BUNDLING, handlerEntry, PROJECT_ROOT, type HandlerName } from './lambda-bundling';

export interface FleetFunctionProps {
  readonly handler: HandlerName;
  readonly description: string;
  readonly environment: Record<string, string>;
  readonly memorySizeMb?: number;
  readonly timeout?: Duration;
}

export class FleetFunction extends Construct {
  readonly function: NodejsFunction;
  /**
   * The function's own role: it starts with nothing but writing to its own log group (no AWS managed policy), and
   * each stack grants exactly what the handler calls.
   */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: FleetFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `ampshare ${props.handler} Lambda`,
    });
    logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      entry: handlerEntry(props.handler),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySizeMb ?? 512,
      timeout: props.timeout ?? Duration.seconds(29),
      role: this.role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: props.environment,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      // HANDLER_BUNDLING in NodejsFunction's names (it adds --bundle and --platform=node itself).
      bundling: {
        format: HANDLER_BUNDLING.format as OutputFormat,
        minify: HANDLER_BUNDLING.minify,
        target: HANDLER_BUNDLING.target,
        externalModules: [...HANDLER_BUNDLING.external],
        mainFields: [...HANDLER_BUNDLING.mainFields],
        banner: HANDLER_BUNDLING.banner.js,
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node 22 is the runtime the product targets (esbuild target node22, the repository engine); it is supported until 2027-04 and moves to 24 together with the repository.',
    });
  }
}
