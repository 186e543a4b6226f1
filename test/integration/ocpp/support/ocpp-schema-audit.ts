/** Checks every frame a charge point receives against the official OCPP 1.6 JSON schemas bundled with ocpp-rpc. */
import { createValidator, type RPCClient } from 'ocpp-rpc';
import schemas from 'ocpp-rpc/lib/schemas/ocpp1_6.json';

const validator = createValidator('ocpp1.6', schemas) as { validate(schemaId: string, params: unknown): boolean };

export interface AuditViolation {
  readonly schemaId: string;
  readonly message: string;
}

/** Watches the raw frames of charge-point clients; `checked` counts validated frames, `violations` lists failures. */
export class OcppSchemaAudit {
  readonly violations: AuditViolation[] = [];
  checked = 0;
  private readonly sentCalls = new Map<string, string>();

  attach(client: RPCClient): void {
    client.on('message', ({ message, outbound }: { message: string | Buffer; outbound: boolean }) =>
      this.frame(String(message), outbound),
    );
  }

  private frame(text: string, outbound: boolean): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!Array.isArray(frame)) return;
    const [type, id, a, b] = frame as [number, string, unknown, unknown];
    if (outbound) {
      if (type === 2) this.sentCalls.set(id, String(a));
      return;
    }
    if (type === 2) this.check(`urn:${String(a)}.req`, b);
    if (type === 3) {
      const method = this.sentCalls.get(id);
      this.sentCalls.delete(id);
      if (method !== undefined) this.check(`urn:${method}.conf`, a);
    }
  }

  private check(schemaId: string, payload: unknown): void {
    this.checked++;
    try {
      validator.validate(schemaId, payload);
    } catch (error) {
      this.violations.push({ schemaId, message: (error as Error).message });
    }
  }
}
