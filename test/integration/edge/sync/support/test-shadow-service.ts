/**
 * A small stand-in for the AWS IoT device shadow service on an aedes broker (until cloud/local has its own): named
 * shadows with `/update` (merge, null removes a key, version +1, `/update/accepted` and `/update/delta`) and `/get`
 * (`/get/accepted`, or `/get/rejected` 404). Only what the agent's policy sync uses.
 */
import type { Aedes } from 'aedes';
import { isDeepStrictEqual } from 'node:util';

type Json = Record<string, unknown>;

interface Shadow {
  desired: Json;
  reported: Json;
  version: number;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(target: Json, patch: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value) && isObject(out[key])) out[key] = merge(out[key], value);
    else out[key] = value;
  }
  return out;
}

export class TestShadowService {
  private readonly shadows = new Map<string, Shadow>();
  private readonly listeners: (() => void)[] = [];

  /** Calls `listener` after every update (tests wait on it). */
  onUpdate(listener: () => void): void {
    this.listeners.push(listener);
  }

  constructor(private readonly aedes: Aedes) {
    aedes.subscribe(
      '$aws/things/+/shadow/name/+/update',
      (packet, done) => {
        done();
        const [, , thing, , , name] = packet.topic.split('/');
        this.update(thing!, name!, JSON.parse(packet.payload.toString()) as Json);
      },
      () => {},
    );
    aedes.subscribe(
      '$aws/things/+/shadow/name/+/get',
      (packet, done) => {
        done();
        const [, , thing, , , name] = packet.topic.split('/');
        this.get(thing!, name!, JSON.parse(packet.payload.toString() || '{}') as Json);
      },
      () => {},
    );
  }

  /** What the cloud's UpdateThingShadow does. */
  update(thing: string, name: string, request: Json): void {
    const state = isObject(request.state) ? request.state : {};
    const shadow = this.shadows.get(`${thing}/${name}`) ?? { desired: {}, reported: {}, version: 0 };
    if (isObject(state.desired)) shadow.desired = merge(shadow.desired, state.desired);
    if (isObject(state.reported)) shadow.reported = merge(shadow.reported, state.reported);
    shadow.version++;
    this.shadows.set(`${thing}/${name}`, shadow);
    const base = `$aws/things/${thing}/shadow/name/${name}`;
    this.send(`${base}/update/accepted`, {
      state,
      version: shadow.version,
      timestamp: Date.now(),
      ...(request.clientToken !== undefined && { clientToken: request.clientToken }),
    });
    const delta = this.delta(shadow);
    if (isObject(state.desired) && delta !== undefined)
      this.send(`${base}/update/delta`, { state: delta, version: shadow.version, timestamp: Date.now() });
    for (const listener of this.listeners) listener();
  }

  /** The document as `/get` would return it. */
  document(thing: string, name: string): Shadow | undefined {
    return this.shadows.get(`${thing}/${name}`);
  }

  /** Sends a raw payload on a shadow topic, as a broken or hostile cloud side would. */
  sendRaw(topic: string, payload: string): void {
    this.aedes.publish(
      { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false },
      () => {},
    );
  }

  private get(thing: string, name: string, request: Json): void {
    const base = `$aws/things/${thing}/shadow/name/${name}`;
    const shadow = this.shadows.get(`${thing}/${name}`);
    const token = request.clientToken !== undefined ? { clientToken: request.clientToken } : {};
    if (shadow === undefined)
      return this.send(`${base}/get/rejected`, {
        code: 404,
        message: `No shadow exists with name: '${thing}~${name}'`,
        ...token,
      });
    const delta = this.delta(shadow);
    this.send(`${base}/get/accepted`, {
      state: { desired: shadow.desired, reported: shadow.reported, ...(delta && { delta }) },
      version: shadow.version,
      timestamp: Date.now(),
      ...token,
    });
  }

  private delta(shadow: Shadow): Json | undefined {
    const delta = Object.fromEntries(
      Object.entries(shadow.desired).filter(([k, v]) => !isDeepStrictEqual(shadow.reported[k], v)),
    );
    return Object.keys(delta).length > 0 ? delta : undefined;
  }

  private send(topic: string, body: Json): void {
    this.sendRaw(topic, JSON.stringify(body));
  }
}
