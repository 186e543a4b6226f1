/**
 * GatewayProvisioner for the local stack: issues a username and a random password for the local MQTT broker.
 * Only a scrypt hash is kept (in memory, for the life of the process); the broker's authenticate hook calls
 * `authenticate`. There is no thing registry locally: the username is the thing name.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { GatewayProvisioner } from '../ports/gateway-provisioner';

export interface LocalGatewayProvisioner extends GatewayProvisioner {
  /** True when the username is an active gateway and the password is the one issued to it. */
  authenticate(username: string, password: string): boolean;
}

interface StoredCredential {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const hashOf = (password: string, salt: Buffer) => scryptSync(password, salt, 32);

export function createLocalGatewayProvisioner(deps: { readonly brokerUrl?: string } = {}): LocalGatewayProvisioner {
  const credentials = new Map<string, StoredCredential>();
  return {
    register({ thingName }) {
      const password = randomBytes(24).toString('base64url');
      const salt = randomBytes(16);
      credentials.set(thingName, { salt, hash: hashOf(password, salt) });
      return Promise.resolve({
        kind: 'password',
        credentialId: thingName,
        username: thingName,
        password,
        ...(deps.brokerUrl ? { endpoint: deps.brokerUrl } : {}),
      });
    },
    revoke({ credentialId }) {
      credentials.delete(credentialId);
      return Promise.resolve();
    },
    authenticate(username, password) {
      const stored = credentials.get(username);
      if (!stored) return false;
      return timingSafeEqual(stored.hash, hashOf(password, stored.salt));
    },
  };
}
