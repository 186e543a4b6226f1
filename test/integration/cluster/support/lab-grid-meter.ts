/**
 * The failover lab's grid meter: the project's Modbus TCP meter simulator with an Eastron SDM630's register image,
 * listening in the chargers' namespace (the test's own, on its link to the segment), so each gateway's agent reads it
 * across the bridge as a site's agents read a meter on the LAN. It measures what the fuse check judges (site-draw.ts):
 * the building load plus what the chargers' cars really draw, per phase.
 */
import { meterRegisterImage } from '../../../../sim/meter/meter-register-image';
import { createModbusTcpServer, type ModbusTcpServer } from '../../../../sim/meter/modbus-tcp-server';
import type { SiteDraw } from './site-draw';

const VOLTS = 230;

/** Where the agents reach the meter, and the model they read it as. */
export interface LabGridMeterAddress {
  readonly host: string;
  readonly port: number;
  readonly model: 'eastron-sdm630';
}

/** Starts the meter on `host` (a free port) reading `draw`; stop the returned server after the agents. */
export async function startLabGridMeter(
  host: string,
  draw: SiteDraw,
): Promise<{ readonly server: ModbusTcpServer; readonly address: LabGridMeterAddress }> {
  const server = createModbusTcpServer({
    host,
    source: meterRegisterImage('eastron-sdm630', () => ({
      volts: [VOLTS, VOLTS, VOLTS],
      amps: draw.phaseAmps(),
      importWh: 0,
    })),
  });
  const port = await server.start();
  return { server, address: { host, port, model: 'eastron-sdm630' } };
}
