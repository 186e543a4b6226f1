/** Port: creates and revokes the identity a site gateway uses to reach the cloud's message broker. */

/** What the gateway needs to connect, returned once at registration (the cloud keeps no private key). */
export interface GatewayCredentials {
  /** `x509`: IoT Core certificate and key; `password`: username and password for the local broker. */
  readonly kind: 'x509' | 'password';
  /** Provisioner's id of the credential (IoT certificate id, local broker username), needed to revoke it. */
  readonly credentialId: string;
  readonly certificatePem?: string;
  readonly privateKeyPem?: string;
  readonly username?: string;
  readonly password?: string;
  /** Where to connect (IoT data endpoint or local broker URL), when the provisioner knows it. */
  readonly endpoint?: string;
}

export interface GatewayProvisionRequest {
  readonly tenantId: string;
  readonly siteId: string;
  /** The thing (gateway identity) name, unique in the account. */
  readonly thingName: string;
}

export interface GatewayProvisioner {
  /** Creates the thing and its credential and grants it the gateway policy. */
  register(request: GatewayProvisionRequest): Promise<GatewayCredentials>;
  /** Deactivates the credential first (so it stops working at once), then removes the thing and credential. */
  revoke(request: { readonly thingName: string; readonly credentialId: string }): Promise<void>;
}
