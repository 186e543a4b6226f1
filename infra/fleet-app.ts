/** The whole deployment as one CDK app: data, IoT and API stacks, wired together. Environment-agnostic, so it synthesizes offline. */
import { App, type AppProps } from 'aws-cdk-lib';
import { FleetApiStack } from './api-stack';
import { consoleAssetFolder } from './console-site';
import { FleetDataStack } from './data-stack';
import { FleetIotStack } from './iot-stack';

export interface FleetApp {
  readonly app: App;
  readonly data: FleetDataStack;
  readonly iot: FleetIotStack;
  readonly api: FleetApiStack;
}

/** Context keys (cdk.json or `-c key=value`) the app reads. */
export interface FleetContext {
  /** Prefix of the stack names, so that several deployments share an account (default `Ampshare`). */
  readonly stackPrefix?: string;
  readonly iotDataEndpoint?: string;
  /** Comma-separated extra CORS origins. */
  readonly corsOrigins?: string;
  /** The console's own domain name (with `consoleCertificateArn`): TLS 1.2 minimum instead of CloudFront's default TLSv1. */
  readonly consoleDomainName?: string;
  /** ARN of an ACM certificate in us-east-1 for `consoleDomainName`. */
  readonly consoleCertificateArn?: string;
}

function contextString(app: App, key: keyof FleetContext): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function createFleetApp(props: AppProps = {}): FleetApp {
  const app = new App(props);
  const prefix = contextString(app, 'stackPrefix') ?? 'Ampshare';
  const iotDataEndpoint = contextString(app, 'iotDataEndpoint');
  const corsOrigins =
    contextString(app, 'corsOrigins')
      ?.split(',')
      .map((origin) => origin.trim()) ?? [];
  const domainName = contextString(app, 'consoleDomainName');
  const certificateArn = contextString(app, 'consoleCertificateArn');
  if ((domainName === undefined) !== (certificateArn === undefined))
    throw new Error('consoleDomainName and consoleCertificateArn go together: give both or neither');
  const data = new FleetDataStack(app, `${prefix}Data`);
  const iot = new FleetIotStack(app, `${prefix}Iot`, { table: data.table });
  const api = new FleetApiStack(app, `${prefix}Api`, {
    table: data.table,
    gatewayPolicyName: iot.gatewayPolicyName,
    thingTypeName: iot.thingTypeName,
    consoleAssetFolder: consoleAssetFolder(),
    extraCorsOrigins: corsOrigins,
    ...(domainName !== undefined && certificateArn !== undefined && { consoleDomain: { domainName, certificateArn } }),
    ...(iotDataEndpoint !== undefined ? { iotDataEndpoint } : {}),
  });
  return { app, data, iot, api };
}
