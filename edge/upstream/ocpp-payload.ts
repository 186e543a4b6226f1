/** An OCPP call's or answer's payload: a JSON object (ocpp-rpc hands payloads over untyped). */
export type Payload = Record<string, unknown>;

/** Whether `value` is a payload: an object, not an array nor null. */
export function isPayload(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
