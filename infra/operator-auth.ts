/**
 * The operators' identities: a Cognito user pool (admin-created users only) whose ID tokens carry the tenant as the
 * immutable custom attribute `custom:tenant`, which only administrators can set, and an app client for the console.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The claim the API reads the caller's tenant from (cloud/api/auth-middleware.ts). */
export const TENANT_CLAIM = 'custom:tenant';

export class OperatorAuth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the `iss` of its tokens. */
  readonly issuer: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Operators', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      customAttributes: { tenant: new cognito.StringAttribute({ minLen: 1, maxLen: 48, mutable: false }) },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Plus tier: threat protection blocks compromised credentials and risky sign-ins (a few operators per tenant, cents a month).
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const standard = new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true });
    this.client = this.userPool.addClient('Console', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // Operators can read their tenant, never write it: a user must not move itself to another tenant.
      readAttributes: standard.withCustomAttributes('tenant'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
