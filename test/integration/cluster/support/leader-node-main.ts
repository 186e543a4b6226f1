/**
 * One cluster node as a process of its own, for faults a test process cannot play on itself (SIGKILL, SIGSTOP): it
 * campaigns and prints one JSON line per event (`elected`, `fenced`) and per answer to a command read from stdin.
 * Commands: `put` (a ledger write), `nextId` (a transaction id), `putInTerm` (a raw etcd transaction conditional on a
 * term the node once held, as a node without any local fencing would send it).
 *
 * Usage: node --import tsx leader-node-main.ts '<settings JSON>'
 */
import { createInterface } from 'node:readline';
import { createEtcdClient } from '../../../../edge/cluster/etcd-client';
import { z } from 'zod';
import { ClusterTransactionIds } from '../../../../edge/cluster/cluster-transaction-ids';
import { LeaderLedger } from '../../../../edge/cluster/leader-ledger';
import { type LeaderTerm, Leadership } from '../../../../edge/cluster/leadership';
import { systemClock } from '../../../../edge/platform/clock';

const SETTINGS = z
  .object({
    nodeId: z.string().max(100),
    endpoints: z.array(z.string().max(100)).min(1).max(5),
    electionName: z.string().max(200),
    ledgerPrefix: z.string().max(200),
    ttlSeconds: z.number().int().min(1).max(60),
    fenceMarginMs: z.number().int().min(0),
  })
  .strict();

const COMMAND = z.discriminatedUnion('op', [
  z.object({ seq: z.number().int(), op: z.literal('put'), key: z.string().max(200), value: z.string().max(1_000) }),
  z.object({ seq: z.number().int(), op: z.literal('nextId') }),
  z.object({
    seq: z.number().int(),
    op: z.literal('putInTerm'),
    term: z.object({ term: z.string().max(20), key: z.string().max(300) }),
    key: z.string().max(200),
    value: z.string().max(1_000),
  }),
]);

const settings = SETTINGS.parse(JSON.parse(process.argv[2] ?? '{}'));
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
// The agent's own client (a deadline per attempt, the breaker per member), with the lease's TTL as its call timeout.
const client = createEtcdClient(settings.endpoints, settings.ttlSeconds * 1000);
const leadership = new Leadership({
  client,
  electionName: settings.electionName,
  nodeId: settings.nodeId,
  ttlSeconds: settings.ttlSeconds,
  fenceMarginMs: settings.fenceMarginMs,
  clock: systemClock,
  listener: {
    elected: (term) => say({ event: 'elected', term }),
    fenced: (event) => say({ event: 'fenced', ...event }),
  },
});
const ledger = new LeaderLedger(client, leadership, settings.ledgerPrefix);
const ids = new ClusterTransactionIds(ledger, leadership);

async function run(command: z.infer<typeof COMMAND>): Promise<unknown> {
  switch (command.op) {
    case 'put':
      return ledger.put(command.key, command.value).then(() => 'written');
    case 'nextId':
      return ids.next();
    case 'putInTerm': {
      const term: LeaderTerm = command.term;
      const result = await client
        .if(term.key, 'Create', '==', term.term)
        .then(client.put(settings.ledgerPrefix + command.key).value(command.value))
        .commit();
      return result.succeeded ? 'written' : 'refused';
    }
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = COMMAND.parse(JSON.parse(line));
  run(command).then(
    (result) => say({ event: 'answer', seq: command.seq, ok: true, result }),
    (error: unknown) => say({ event: 'answer', seq: command.seq, ok: false, error: String(error) }),
  );
});
leadership.start();
say({ event: 'started' });
