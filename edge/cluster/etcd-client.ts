/**
 * The etcd client of a cluster node. A member that does not answer (its gateway's link is down, a partition) must cost
 * a caller one timeout, not hold it, and must not be asked again and again:
 * - every unary call gets a deadline, so a call to a silent member fails instead of waiting for TCP to give up. The
 *   deadline is set here, for each attempt, and callers pass none: etcd3 tries a failed call again on another member
 *   (up to three attempts) with the caller's options, so a deadline fixed by the caller had passed by the time the
 *   call left the silent member for a healthy one, which failed it at once and was set aside for it; one silent member
 *   set all three aside (the link-down test's logs; etcd-client.test.ts);
 * - a member whose call failed so is set aside for a while (a circuit breaker per member that opens at the first
 *   failure; etcd3's default opens at the third): etcd3 picks members at random, and a master whose lease renewals
 *   kept drawing the silent member missed its fence deadline and stepped down (the link-down test found it);
 * - the connections are pinged (gRPC keepalive), so a stream left on a member that vanished (a campaign's watch for
 *   the keys before its own, which is how a standby learns that the master's key is gone) is found dead and opened
 *   again on another member; without it the standby never learned that the master was gone.
 * etcd refuses pings more often than its `--grpc-keepalive-min-time` (5 s unless set), so the members run with it at
 * 1 s (docs/cluster.md); and it counts pings on a connection without a call as abuse whatever the interval, so the
 * client pings only while a call or stream is open.
 * - a stream the client ends itself is not the member's failure. etcd3 1.1.2 reports every stream that ends with an
 *   error as a failure of its member, its own cancellations (gRPC CANCELLED) included: it then closes every connection
 *   to that member (dropping the lease keepalive streams on it, which then fail for real) and trips the member's
 *   breaker. A campaign's watch is cancelled each time the campaign ends (elected, or dropped to campaign again), so
 *   a node whose campaign restarted every second after a partition healed set its own healthy members aside faster
 *   than they came back, and no node led again (the link-down recovery tests found it). The client drops those reports.
 */
import { ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import { castGrpcError, Etcd3, GRPCCancelledError, isRecoverableError } from 'etcd3';

/** How often a connection to a member is pinged (etcd's minimum is set to 1 s), and how long its answer may take. */
const KEEPALIVE_PING_MS = 2_000;
const KEEPALIVE_ANSWER_MS = 1_000;

export function createEtcdClient(endpoints: readonly string[], callTimeoutMs: number): Etcd3 {
  const client = new Etcd3({
    hosts: [...endpoints],
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: new Date(Date.now() + callTimeoutMs) }),
    faultHandling: {
      // A member set aside is tried again after two call timeouts (one call then decides).
      host: () =>
        circuitBreaker(handleWhen(isRecoverableError), {
          halfOpenAfter: 2 * callTimeoutMs,
          breaker: new ConsecutiveBreaker(1),
        }),
    },
    grpcOptions: {
      'grpc.keepalive_time_ms': KEEPALIVE_PING_MS,
      'grpc.keepalive_timeout_ms': KEEPALIVE_ANSWER_MS,
    },
  });
  ignoreOwnCancellations(client);
  return client;
}

type MarkFailed = (member: unknown, error: Error) => void;

/**
 * Wraps etcd3's `markFailed` (what its streams call when they end with an error) so that the client's own
 * cancellations are not held against the member. The pool is private in etcd3 1.1.2: checked here, so an etcd3
 * upgrade that renames it fails at start-up, not silently.
 */
function ignoreOwnCancellations(client: Etcd3): void {
  const pool = (client as unknown as { readonly pool?: { markFailed?: unknown } }).pool;
  const markFailed = pool?.markFailed;
  if (pool === undefined || typeof markFailed !== 'function')
    throw new Error("etcd3's connection pool has no markFailed: is etcd3 still 1.1.2?");
  const original = markFailed as MarkFailed;
  const wrapped: MarkFailed = (member, error) => {
    if (castGrpcError(error) instanceof GRPCCancelledError) return;
    original.call(pool, member, error);
  };
  pool.markFailed = wrapped;
}
