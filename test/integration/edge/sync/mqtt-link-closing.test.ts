/**
 * A link's last words before it closes (`MqttLink.closeAfter`, a fenced cluster node's link, docs/cluster.md): against
 * a real aedes broker, the link stays open until what it was to send is sent, and a loss meanwhile (the node that leads
 * now connecting with the same client id) is not reconnected, so the new holder keeps the broker.
 */
import type { Client } from 'aedes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MqttLink } from '../../../../edge/sync/mqtt-link';
import { linkState, quietLog, wallClock } from './support/sync-harness';
import { TestBroker } from './support/test-broker';

const CLIENT_ID = 'gw-site-1';

describe('a link closing after its last words', () => {
  let broker: TestBroker;
  const links: MqttLink[] = [];

  beforeEach(async () => {
    broker = await TestBroker.start();
  });
  afterEach(async () => {
    await Promise.all(links.splice(0).map((link) => link.stop()));
    await broker.close();
  });

  async function connectedLink(): Promise<MqttLink> {
    const link = new MqttLink({
      url: broker.url,
      options: { clientId: CLIENT_ID, protocolVersion: 4, clean: false, keepalive: 30, username: 'gw', password: 'pw' },
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      clock: wallClock,
      log: quietLog,
    });
    links.push(link);
    link.start();
    await linkState(link, true);
    return link;
  }

  it('should stay open until its messages are sent, then close', async () => {
    // Arrange
    const link = await connectedLink();
    const state = { sent: false };

    // Act: closing while something is left to send, which is sent a moment later
    const closed = link.closeAfter(() => state.sent, 10_000, 10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const whileSending = link.state().status;
    state.sent = true;
    await closed;

    // Assert
    expect(whileSending).toBe('connected');
    expect(link.state().status).toBe('stopped');
  });

  it('should not take the broker back from the node that connects with its client id while it closes', async () => {
    // Arrange: the closing link has something left to send for a long while
    const old = await connectedLink();
    // Checked seldom, so a reconnect (20 ms back-off) would come first
    const closed = old.closeAfter(() => false, 10_000, 500);
    let connects = 0;
    const onClient = (client: Client) => {
      if (client.id === CLIENT_ID) connects += 1;
    };
    broker.aedes.on('client', onClient);

    // Act: the new holder connects (the broker drops the old connection); watched for many reconnect back-offs
    const next = await connectedLink();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    broker.aedes.off('client', onClient);

    // Assert: one connection, the new holder's, still connected; the old link closed without reconnecting
    expect(connects).toBe(1);
    expect(next.state().status).toBe('connected');
    expect(old.state().status).toBe('stopped');
  });

  it('should stay open when it is opened again while it closes (the node leads again)', async () => {
    // Arrange: closing, with something left to send
    const link = await connectedLink();
    const closing = link.closeAfter(() => false, 10_000, 10);

    // Act: opened again
    link.start();
    await closing;
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Assert: still connected on its one connection
    expect(link.state().status).toBe('connected');
  });
});
