/** The CSMS's ChangeConfiguration through the agent: keys the load management depends on are protected, and it is told. */
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLED_MEASURANDS } from '../../../edge/ocpp/boot-configuration';
import { startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { TsOcppCsms } from './support/ts-ocpp-csms';

describe('edge agent in front of a CSMS: configuration the agent depends on', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  afterEach(async () => {
    await edge?.close();
    await csms?.close();
    edge = csms = undefined;
  });

  it('should refuse changes that would starve the control loop and pass the others to the charger', async () => {
    // Arrange: the agent asked the charger for samples every second at boot
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: 1, upstream: { csmsUrl: csms.url } });
    const charger = await edge.charger('CP-1');
    await csms.until('upstream link', () => csms?.isConnected('CP-1') ?? false);
    await edge.events.until('booted', () => charger.configuration('MeterValueSampleInterval') === '1');
    const change = (key: string, value: string) => csms?.send('CP-1', 'ChangeConfiguration', { key, value });

    // Act
    const slower = await change('MeterValueSampleInterval', '900');
    const fewer = await change('MeterValuesSampledData', 'Energy.Active.Import.Register');
    const stackLevel = await change('chargeprofilemaxstacklevel', '1');
    const more = await change('MeterValuesSampledData', `${SAMPLED_MEASURANDS.join(',')},SoC`);

    // Assert: before, the first two reached the charger and the agent's samples came every 15 minutes, without currents
    expect([slower, fewer, stackLevel]).toEqual([
      { status: 'Rejected' },
      { status: 'Rejected' },
      { status: 'Rejected' },
    ]);
    expect(charger.configuration('MeterValueSampleInterval')).toBe('1');
    expect(more).toEqual({ status: 'Accepted' });
    expect(charger.configuration('MeterValuesSampledData')).toBe(`${SAMPLED_MEASURANDS.join(',')},SoC`);
  });
});
