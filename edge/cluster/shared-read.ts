/**
 * One read shared by its callers: a result younger than the caller's `maxAgeMs` is given again, and a read in flight
 * is joined rather than started twice. The dashboard's pages and the telemetry ask for the same slow facts (a client
 * per etcd member, a TCP dial per peer), each bounded in time; this keeps them to one round at a time.
 */
export class SharedRead<T> {
  private last: { readonly at: number; readonly value: T } | undefined;
  private inFlight: Promise<T> | undefined;

  constructor(
    private readonly source: () => Promise<T>,
    private readonly now: () => number,
  ) {}

  read(maxAgeMs: number): Promise<T> {
    if (this.last !== undefined && this.now() - this.last.at <= maxAgeMs) return Promise.resolve(this.last.value);
    this.inFlight ??= this.source()
      .then((value) => {
        this.last = { at: this.now(), value };
        return value;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}
