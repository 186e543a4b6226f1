/** The grid meter driver: polls one meter over a ModbusTransport and hands each sample to its subscribers. */
import { englishMessage, type MessageRef } from '../../shared/server-messages';
import type { GridMeterSample } from './grid-meter-sample';
import type { MeterConfig } from './meter-config';
import { registerMapOf } from './meter-config';
import { needsReconnect, type ModbusFault, type ModbusResult, type ModbusTransport } from './modbus-transport';
import { planReads, type ReadBlock } from './read-plan';
import { decodeMeterValues, type MeterValues } from './register-decoder';
import { implausibility } from './sample-validation';

/** The slice of a pino logger the driver uses. */
export interface MeterLog {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
}

export interface GridMeterDeps {
  readonly transport: ModbusTransport;
  /** Epoch ms; defaults to Date.now. Timers are the global ones, so fake timers drive the loop in tests. */
  readonly now?: () => number;
  readonly log?: MeterLog;
}

export type GridMeterListener = (sample: GridMeterSample) => void;

/** The port the control loop holds: one per meter. */
export interface GridMeter {
  readonly meterId: string;
  /** Starts polling at the configured interval; the first poll runs at once. */
  start(): void;
  /** Stops polling and closes the link; resolves when the loop has ended. */
  stop(): Promise<void>;
  /** Calls `listener` with every sample until the returned function is called. */
  subscribe(listener: GridMeterListener): () => void;
  /** The last sample, if any. */
  latest(): GridMeterSample | undefined;
}

/** Creates the driver for a parsed meter configuration. */
export function createGridMeter(config: MeterConfig, deps: GridMeterDeps): GridMeter {
  const { transport } = deps;
  const now = deps.now ?? Date.now;
  const map = registerMapOf(config);
  const plan = planReads(map);
  const listeners = new Set<GridMeterListener>();
  let last: GridMeterSample | undefined;
  let previous: { values: MeterValues; at: number } | undefined;
  let lastValid: { values: MeterValues; at: number } | undefined;
  let failures = 0;
  let reconnectAt = 0;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const invalid = (fault: MessageRef, values?: MeterValues): GridMeterSample => ({
    meterId: config.meterId,
    at: now(),
    valid: false,
    fault,
    ...(values && { values }),
  });
  // Back-offs start below a second: tenths keep them apart.
  const seconds = (ms: number): number => Math.round(ms / 100) / 10;

  const backOff = (): number => {
    const delay = Math.min(config.poll.backoffInitialMs * 2 ** failures, config.poll.backoffMaxMs);
    failures += 1;
    reconnectAt = now() + delay;
    return delay;
  };

  const readBlock = async (block: ReadBlock): Promise<ModbusResult<readonly number[]>> => {
    let result = await transport.read(map.functionCode, block.address, block.count);
    for (
      let attempt = 0;
      attempt < config.poll.retries && !result.ok && running && isTransient(result.fault);
      attempt++
    ) {
      result = await transport.read(map.functionCode, block.address, block.count);
    }
    return result;
  };

  const linkFailed = async (fault: ModbusFault, block: ReadBlock): Promise<GridMeterSample> => {
    const read = { count: block.count, address: block.address };
    if (!needsReconnect(fault))
      return invalid(
        fault.kind === 'exception'
          ? { reason: 'meterFault.exception', params: { ...read, code: fault.exceptionCode ?? fault.message } }
          : { reason: 'meterFault.corrupt', params: read },
      );
    await transport.close();
    const retry = seconds(backOff());
    return invalid(
      fault.kind === 'timeout'
        ? { reason: 'meterFault.timeout', params: { ...read, seconds: retry } }
        : { reason: 'meterFault.linkLost', params: { ...read, detail: fault.message, seconds: retry } },
    );
  };

  const poll = async (): Promise<GridMeterSample> => {
    if (!transport.isOpen) {
      const wait = reconnectAt - now();
      if (wait > 0) return invalid({ reason: 'meterFault.disconnected', params: { seconds: seconds(wait) } });
      const opened = await transport.open();
      if (!opened.ok) {
        const retry = seconds(backOff());
        return invalid(
          opened.fault.refused
            ? { reason: 'meterFault.connectRefused', params: { seconds: retry } }
            : { reason: 'meterFault.connectFailed', params: { detail: opened.fault.message, seconds: retry } },
        );
      }
    }
    const words: Array<readonly number[]> = [];
    for (const block of plan) {
      const result = await readBlock(block);
      if (!result.ok) return linkFailed(result.fault, block);
      words.push(result.value);
    }
    failures = 0;
    let values: MeterValues;
    try {
      values = decodeMeterValues(map, plan, words);
    } catch (error) {
      return invalid({ reason: 'meterFault.undecodable', params: { detail: errorText(error) } });
    }
    const at = now();
    const judge = (reference: typeof previous) =>
      implausibility(
        values,
        config.plausibility,
        reference?.values,
        reference === undefined ? undefined : at - reference.at,
      );
    // A jump is judged against the previous poll, and forgiven when the values are back near the last valid ones: one glitch costs one poll.
    let reason = judge(previous);
    if (reason !== undefined && lastValid !== undefined && lastValid !== previous && judge(lastValid) === undefined)
      reason = undefined;
    previous = { values, at };
    if (reason !== undefined) return invalid(reason, values);
    lastValid = previous;
    return { meterId: config.meterId, at, valid: true, values };
  };

  const emit = (sample: GridMeterSample): void => {
    if (last?.valid !== sample.valid) {
      if (sample.valid) deps.log?.info({ meterId: config.meterId }, 'meter readings valid');
      else deps.log?.warn({ meterId: config.meterId, reason: englishMessage(sample.fault) }, 'meter readings invalid');
    }
    last = sample;
    for (const listener of listeners) {
      try {
        listener(sample);
      } catch (error) {
        deps.log?.warn({ meterId: config.meterId, err: error }, 'meter listener threw');
      }
    }
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });

  const run = async (): Promise<void> => {
    while (running) {
      const started = now();
      let sample: GridMeterSample;
      try {
        sample = await poll();
      } catch (error) {
        // The transport never rejects; this guards the loop against a bug rather than a meter.
        sample = invalid({ reason: 'meterFault.driverError', params: { detail: errorText(error) } });
      }
      if (!running) break;
      emit(sample);
      await sleep(Math.max(0, config.poll.intervalMs - (now() - started)));
    }
  };

  return {
    meterId: config.meterId,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = undefined;
      await transport.close();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    latest: () => last,
  };
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function isTransient(fault: ModbusFault): boolean {
  return fault.kind === 'timeout' || fault.kind === 'crc';
}
