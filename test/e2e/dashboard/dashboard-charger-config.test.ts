/**
 * The charger configuration page in the browser, against the whole agent and an ocpp-rpc charge point of the test's
 * own (not the simulator): every key the charger reports, a writable one changed with the charger's answer shown
 * (Accepted, RebootRequired), a managed key warned about and confirmed, the agent's allocation beside the charger's
 * composite schedule, the profiles the agent sent (fail-safe, idle hold, a car's lease) with the charger's answers,
 * Reset (confirmed), UnlockConnector and TriggerMessage, each audited; an offline charger says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEdgeConfig } from '../../../edge/config/load-config';
import { startAgent, type RunningAgent } from '../../../edge/main';
import { eventually } from '../../support/eventually';
import { edgeConfig, passwordOf } from '../../integration/edge/support/edge-fixture';
import {
  diallingChargePoint,
  startCharging,
  type DiallingChargePoint,
} from '../../integration/ocpp/support/dialling-charge-point';
import { launchBrowser, screenshot, WAIT_MS } from '../support/headless-browser';

const ADMIN_PASSWORD = 'correct horse battery staple';

interface Call {
  readonly method: string;
  readonly params: Record<string, unknown>;
}

describe('charger configuration from the dashboard', () => {
  let dataDir: string;
  let agent: RunningAgent;
  let browser: Browser;
  let page: Page;
  let cp: DiallingChargePoint;
  const calls: Call[] = [];
  /** The first limit of the composite schedule CP-1 answered last. */
  let answeredAmps: number | undefined;
  const audits: Record<string, unknown>[] = [];
  const dialogs: string[] = [];
  const status = () => page.getByTestId('charger-config-status');
  const configuration: Record<string, { value: string; readonly: boolean }> = {
    HeartbeatInterval: { value: '300', readonly: false },
    WebSocketPingInterval: { value: '60', readonly: false },
    MeterValueSampleInterval: { value: '10', readonly: false },
    NumberOfConnectors: { value: '1', readonly: true },
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-charger-config-'));
    const input = { ...edgeConfig({ chargers: 1 }, dataDir), dashboard: { host: '127.0.0.1', port: 0 } };
    const logger = pino(
      { level: 'info' },
      {
        write: (line: string) => {
          const entry = JSON.parse(line) as { audit?: Record<string, unknown> };
          if (entry.audit) audits.push(entry.audit);
        },
      },
    );
    [browser, agent] = await Promise.all([launchBrowser(), startAgent(parseEdgeConfig(input, dataDir), { logger })]);
    cp = diallingChargePoint({
      ocppUrl: agent.ocppUrl,
      identity: 'CP-1',
      password: passwordOf('CP-1'),
      configuration: {},
      boot: { chargePointVendor: 'Acme', chargePointModel: 'Wallbox 11', firmwareVersion: '2.0.0' },
    });
    const record = (method: string, params: unknown) =>
      calls.push({ method, params: params as Record<string, unknown> });
    cp.client.handle('GetConfiguration', ({ params }) => {
      const asked = (params as { key?: string[] }).key ?? Object.keys(configuration);
      return Promise.resolve({
        configurationKey: asked
          .filter((key) => configuration[key] !== undefined)
          .map((key) => ({ key, readonly: configuration[key]?.readonly ?? true, value: configuration[key]?.value })),
        unknownKey: asked.filter((key) => configuration[key] === undefined),
      });
    });
    cp.client.handle('ChangeConfiguration', ({ params }) => {
      record('ChangeConfiguration', params);
      const { key } = params as { key: string };
      return Promise.resolve({ status: key === 'WebSocketPingInterval' ? 'RebootRequired' : 'Accepted' });
    });
    cp.client.handle('GetCompositeSchedule', ({ params }) => {
      record('GetCompositeSchedule', params);
      const { connectorId } = params as { connectorId: number };
      // What the charger holds for the connector: the newest profile for it, else the whole charger's (connector 0).
      const held = [...cp.profiles].reverse().find((p) => p.connectorId === connectorId || p.connectorId === 0) as
        | { csChargingProfiles: { chargingSchedule: { chargingSchedulePeriod: { limit: number }[] } } }
        | undefined;
      // The fail-safe or the idle hold, whichever the agent sent last by then (it renews the hold on its own timer).
      answeredAmps = held?.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]?.limit;
      return Promise.resolve(
        held === undefined
          ? { status: 'Rejected' }
          : {
              status: 'Accepted',
              connectorId,
              scheduleStart: new Date().toISOString(),
              chargingSchedule: { duration: 3600, ...held.csChargingProfiles.chargingSchedule },
            },
      );
    });
    for (const [method, status] of [
      ['Reset', 'Accepted'],
      ['UnlockConnector', 'Unlocked'],
      ['TriggerMessage', 'Accepted'],
    ] as const)
      cp.client.handle(method, ({ params }) => (record(method, params), Promise.resolve({ status })));
    await cp.client.connect();
    await eventually(
      'CP-1 booted and holds its fail-safe',
      () => cp.boots.includes('Accepted') && cp.profiles.length > 0,
    );

    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await page.goto(agent.dashboardSetupUrl ?? '');
    await page.getByLabel('New admin password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Repeat the password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Repeat the password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Allocations' }).waitFor();
  });
  afterAll(async () => {
    await cp?.client.close({ force: true });
    await browser?.close();
    await agent?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should list every key the charger reports, with the keys the agent manages marked', async () => {
    await page.goto(`${agent.dashboardUrl ?? ''}#/chargerConfig`);
    await page.getByRole('heading', { level: 1, name: 'Charger configuration' }).waitFor();
    await page.getByLabel('Charger').selectOption('CP-1');
    await page.getByRole('button', { name: 'Read configuration' }).click();
    await page.getByTestId('configuration-keys').waitFor();

    const keys = await page.getByTestId('configuration-keys').locator('tbody tr td:first-child').allInnerTexts();
    expect(keys).toEqual([
      'HeartbeatInterval',
      'MeterValueSampleInterval',
      'NumberOfConnectors',
      'WebSocketPingInterval',
    ]);
    expect(await page.getByLabel('Value of HeartbeatInterval').inputValue()).toBe('300');
    expect(await page.getByLabel('Value of NumberOfConnectors').count()).toBe(0);
    expect(await page.getByTestId('managed-MeterValueSampleInterval').innerText()).toMatch(/^Managed by the agent: /);
    expect(await page.getByTestId('managed-HeartbeatInterval').count()).toBe(0);
    expect(await status().innerText()).toBe('CP-1 reported 4 configuration keys.');
  });

  it('should change writable keys and show what the charger answered, asking first for a managed key', async () => {
    await page.getByLabel('Value of HeartbeatInterval').fill('60');
    await page.getByRole('button', { name: 'Change HeartbeatInterval' }).click();
    await status().filter({ hasText: 'HeartbeatInterval: the charger answered Accepted.' }).waitFor();
    await page.getByLabel('Value of WebSocketPingInterval').fill('30');
    await page.getByRole('button', { name: 'Change WebSocketPingInterval' }).click();
    await status()
      .filter({ hasText: 'WebSocketPingInterval: the charger answered Accepted, takes effect after a reboot.' })
      .waitFor();
    await page.getByLabel('Value of MeterValueSampleInterval').fill('5');
    await page.getByRole('button', { name: 'Change MeterValueSampleInterval' }).click();
    await status().filter({ hasText: 'MeterValueSampleInterval: the charger answered Accepted.' }).waitFor();

    // After the two the agent sends at boot (MeterValueSampleInterval, MeterValuesSampledData).
    expect(
      calls
        .filter((c) => c.method === 'ChangeConfiguration')
        .slice(2)
        .map((c) => c.params),
    ).toEqual([
      { key: 'HeartbeatInterval', value: '60' },
      { key: 'WebSocketPingInterval', value: '30' },
      { key: 'MeterValueSampleInterval', value: '5' },
    ]);
    expect(dialogs).toEqual([
      'The agent manages MeterValueSampleInterval: a change may be undone at the next boot or disturb load management. Change it anyway?',
    ]);
    expect(audits.filter((a) => a.action === 'charger.configure')).toEqual([
      expect.objectContaining({ chargerId: 'CP-1', key: 'HeartbeatInterval', managed: false, status: 'Accepted' }),
      expect.objectContaining({ key: 'WebSocketPingInterval', status: 'RebootRequired' }),
      expect.objectContaining({ key: 'MeterValueSampleInterval', managed: true, status: 'Accepted' }),
    ]);
  });

  it('should show the agent allocation beside the charger composite schedule per connector', async () => {
    const row = page.getByTestId('charger-schedules').locator('tbody tr');
    const cells = await row.locator('td').allInnerTexts();

    expect(calls.find((c) => c.method === 'GetCompositeSchedule')?.params).toEqual({
      connectorId: 1,
      duration: 3600,
      chargingRateUnit: 'A',
    });
    expect(cells[0]).toBe('1');
    expect(cells[1]).toMatch(/^(–|\d+\.\d A)$/);
    expect(answeredAmps).toBeDefined();
    expect(cells[2]).toBe(`from 0 s: ${answeredAmps!.toFixed(1)} A`);
    await screenshot(page, 'dashboard', 'charger-config');
  });

  it('should reset after a confirmation, unlock a connector and trigger a message, each audited', async () => {
    dialogs.length = 0;
    await page.getByRole('button', { name: 'Hard reset' }).click();
    await status().filter({ hasText: 'Hard reset: the charger answered Accepted.' }).waitFor();
    await page.getByRole('button', { name: 'Unlock connector' }).click();
    await status().filter({ hasText: 'Unlock connector 1: the charger answered Unlocked.' }).waitFor();
    await page.getByLabel('Message to trigger').selectOption('MeterValues');
    await page.getByRole('button', { name: 'Trigger message' }).click();
    await status().filter({ hasText: 'Trigger MeterValues: the charger answered Accepted.' }).waitFor();

    expect(dialogs).toEqual(['Hard reset of CP-1? Charging sessions on it are stopped.']);
    expect(calls.filter((c) => ['Reset', 'UnlockConnector', 'TriggerMessage'].includes(c.method))).toEqual([
      { method: 'Reset', params: { type: 'Hard' } },
      { method: 'UnlockConnector', params: { connectorId: 1 } },
      { method: 'TriggerMessage', params: { requestedMessage: 'MeterValues', connectorId: 1 } },
    ]);
    expect(
      audits.filter((a) => ['charger.reset', 'charger.unlock', 'charger.trigger'].includes(String(a.action))),
    ).toEqual([
      expect.objectContaining({
        action: 'charger.reset',
        user: 'admin',
        chargerId: 'CP-1',
        type: 'Hard',
        status: 'Accepted',
      }),
      expect.objectContaining({ action: 'charger.unlock', connectorId: 1, status: 'Unlocked' }),
      expect.objectContaining({ action: 'charger.trigger', requestedMessage: 'MeterValues', status: 'Accepted' }),
    ]);
  });

  it("should list the profiles the agent sent with the charger's answers: fail-safe, idle hold and a car's lease", async () => {
    // Arrange: a car starts charging on connector 1, and the agent sends it a lease
    await startCharging(cp.client, 1, 'TAG-1');
    await eventually('a lease for the car', () =>
      cp.profiles.some((p) => p.csChargingProfiles.chargingProfilePurpose === 'TxProfile'),
    );

    // Act
    await page.getByRole('button', { name: 'Read configuration' }).click();
    await page.getByTestId('sent-profiles').waitFor();

    // Assert: each kind the charger took, at its connector, with its limit and answer (the newest lease first)
    const rows = (await page.getByTestId('sent-profiles').locator('tbody tr').allInnerTexts()).map((r) =>
      r.split('\t').map((c) => c.trim()),
    );
    const row = (profile: string) => rows.find((r) => r[2] === profile);
    expect(row('Fail-safe (TxDefaultProfile, stack level 0)')).toEqual([
      'whole charger (0)',
      expect.any(String),
      'Fail-safe (TxDefaultProfile, stack level 0)',
      'from 0 s: 6.0 A',
      'until replaced',
      expect.stringMatching(/^Accepted at /),
    ]);
    expect(row('Idle hold (TxDefaultProfile, stack level 1)')?.[0]).toBe('whole charger (0)');
    expect(row('Idle hold (TxDefaultProfile, stack level 1)')?.[3]).toBe('from 0 s: 0.0 A');
    const lease = rows.find((r) => r[2] === 'Lease (TxProfile, stack level 1)');
    expect(lease?.[0]).toBe('1');
    expect(lease?.[3]).toMatch(/^from 0 s: \d+\.\d A/);
    expect(lease?.[5]).toMatch(/^Accepted at /);
    await screenshot(page, 'dashboard', 'charger-sent-profiles');
  });

  it('should say the charger is not connected when it is offline', async () => {
    await cp.client.close({ force: true });
    await eventually('CP-1 offline', () => !agent.centralSystem.connectedChargers().includes('CP-1'));

    await page.getByRole('button', { name: 'Read configuration' }).click();
    await status().filter({ hasText: 'is not connected' }).waitFor();

    expect(await status().innerText()).toMatch(/^Could not read CP-1: charger "CP-1" is not connected/);
  });
});
