/**
 * A change of the site (and its meters) from the dashboard: checked (schema, then what the agent in force needs), saved
 * as the next version if it is based on the version in force, put in force by the control loop at its next round (the
 * meter pollers switched around it), and reported.
 * The preview runs the same checks and the shared allocator on the loop's current state with the changed site.
 */
import type { AllocateFn, Allocation, SiteSnapshot } from '../../../shared/allocation/allocation-types';
import { AppError } from '../../../shared/errors';
import type { Policy } from '../../../shared/policy/policy-schema';
import { englishMessage } from '../../../shared/server-messages';
import { siteConnectorRefs } from '../../../shared/site/connector-ref';
import type { Site } from '../../../shared/site/site-schema';
import type { MeterConfig } from '../../meter/meter-config';
import type {
  SiteRecord,
  SiteSaveResult,
  SiteVersion,
  SiteVersionInForce,
  SiteVersionMeta,
  SiteVersionSource,
} from '../../store/site-version-store';
import { siteChangeIssues, type SiteChangeContext, versionIssues } from './site-change-issues';

/** The stored versions (edge/store/site-version-store.ts). */
export interface SiteVersionsPort {
  current(): SiteVersion | undefined;
  version(version: number): SiteVersion | undefined;
  history(limit?: number): SiteVersionMeta[];
  save(
    record: SiteRecord,
    by: { readonly author: string; readonly source: SiteVersionSource; readonly at: number },
    baseVersion: number,
    asVersion?: number,
  ): SiteSaveResult;
}

/**
 * On a cluster node, where a change is recorded before it is saved here (edge/cluster/ledger-site-version.ts); refuses
 * (409) on a node that may not change the site.
 */
export interface SiteVersionReplica {
  record(version: SiteVersionInForce): Promise<void>;
}

export interface SiteChangeDeps {
  readonly versions: SiteVersionsPort;
  /** What the agent in force needs of a version (policy, running sessions). */
  context(): Omit<SiteChangeContext, 'inForce' | 'meters'>;
  /** Puts a saved version in force (meters, the control loop's next round, the OCPP directory); resolves once it is. */
  apply(version: SiteVersionInForce): Promise<void>;
  /** The audit log's and the cloud's record of a version put in force. */
  report(version: SiteVersionInForce, previous: SiteVersionInForce): void;
  now(): number;
  /** On a cluster node: the ledger, which has each change before this node saves it. */
  readonly replica?: SiteVersionReplica;
}

export interface SiteChangeRequest {
  readonly site: Site;
  /** The meters the agent reads with this version; absent, the meters in force stay. */
  readonly meters?: readonly MeterConfig[];
  readonly baseVersion: number;
  readonly author: string;
  readonly source: SiteVersionSource;
}

export class SiteChanges {
  /** Changes one at a time: a change recorded in the ledger must be the one saved next here. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SiteChangeDeps) {}

  /** The version in force (there always is one, with its meters: the start-up imports the site file's). */
  inForce(): SiteVersionInForce {
    const current = this.deps.versions.current();
    if (current?.meters === undefined) throw new AppError('storage.unavailable', 'the site in force cannot be read');
    return { ...current, meters: current.meters };
  }

  /** The versions kept, newest first. */
  history(): SiteVersionMeta[] {
    return this.deps.versions.history();
  }

  /** One kept version. */
  version(version: number): SiteVersion | undefined {
    return this.deps.versions.version(version);
  }

  /** Refuses (400, every issue at its path) a site that cannot replace the one in force; absent meters, those in force. */
  check(site: Site, meters?: readonly MeterConfig[]): void {
    const inForce = this.inForce();
    const context = { ...this.deps.context(), inForce: inForce.site, meters: meters ?? inForce.meters };
    const issues = siteChangeIssues(site, context);
    if (issues.length > 0) {
      const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      throw new AppError('site.invalid', `the site cannot be put in force: ${summary}`, issues);
    }
  }

  /**
   * Saves and puts in force; a stale base version is refused (409) with the version in force now. On a cluster node
   * the change is recorded in the ledger first (refused on a standby), then saved here.
   */
  change(request: SiteChangeRequest): Promise<SiteVersionInForce> {
    return this.serially(async () => {
      this.check(request.site, request.meters);
      const previous = this.inForce();
      const meters = request.meters ?? previous.meters;
      const by = { author: request.author, source: request.source, at: this.deps.now() };
      if (this.deps.replica !== undefined) {
        if (previous.version !== request.baseVersion) throw staleBase(request.baseVersion, previous.version);
        const { author, source, at: savedAt } = by;
        await this.deps.replica.record({
          version: previous.version + 1,
          author,
          source,
          savedAt,
          site: request.site,
          meters,
        });
      }
      const saved = this.deps.versions.save({ site: request.site, meters }, by, request.baseVersion);
      return this.putInForce(saved, meters, previous, request.baseVersion);
    });
  }

  /**
   * Puts a version taken from the cluster's ledger in force under its own number (higher than the one in force), as a
   * change: held only to what no running state decides (the old master checked the rest); throws `state.invalid` on a
   * version this node cannot take.
   */
  adopt(version: SiteVersionInForce): Promise<void> {
    return this.serially(async () => {
      const previous = this.inForce();
      const issues = versionIssues(version.site, previous.site, version.meters);
      if (issues.length > 0)
        throw new AppError(
          'state.invalid',
          `the site version ${version.version} cannot be put in force here: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          issues,
        );
      const { site, meters, author, source, savedAt: at } = version;
      const saved = this.deps.versions.save(
        { site, meters },
        { author, source, at },
        previous.version,
        version.version,
      );
      await this.putInForce(saved, meters, previous, previous.version);
    });
  }

  private async putInForce(
    saved: SiteSaveResult,
    meters: readonly MeterConfig[],
    previous: SiteVersionInForce,
    baseVersion: number,
  ): Promise<SiteVersionInForce> {
    if (!saved.ok && saved.reason === 'stale') throw staleBase(baseVersion, saved.current);
    if (!saved.ok)
      throw new AppError('message.tooLarge', `the site is ${saved.bytes} bytes: too large to store`, [
        { path: 'site', message: 'too large' },
      ]);
    const version = { ...saved.version, meters };
    await this.deps.apply(version);
    this.deps.report(version, previous);
    return version;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const done = this.queue.then(work);
    this.queue = done.catch(() => undefined);
    return done;
  }

  /**
   * Puts an earlier version in force again, as a new version: its site and meters (a version saved before the meters
   * were part of it keeps the meters in force).
   */
  restore(version: number, baseVersion: number, author: string): Promise<SiteVersionInForce> {
    const earlier = this.deps.versions.version(version);
    if (earlier === undefined) throw new AppError('resource.notFound', `site version ${version} is not kept`);
    const meters = earlier.meters && { meters: earlier.meters };
    return this.change({ site: earlier.site, ...meters, baseVersion, author, source: 'restore' });
  }
}

/**
 * The allocation `site` would give now: the loop's snapshot with its connectors kept where the site keeps them, new ones
 * idle and offline (reserved at the fail-safe, as a charger that has not connected yet is), and other load only on
 * circuits the site still has.
 */
export function previewSite(
  snapshot: SiteSnapshot,
  site: Site,
  policy: Policy,
  now: number,
  allocate: AllocateFn,
): Allocation {
  const states = new Map(snapshot.connectors.map((c) => [c.ref, c]));
  const circuits = new Set(site.circuits.map((c) => c.id));
  return allocate(
    {
      ...snapshot,
      site,
      connectors: siteConnectorRefs(site).map(
        (ref) => states.get(ref) ?? { ref, status: 'Available' as const, link: 'offline' as const },
      ),
      ...(snapshot.otherLoad && { otherLoad: snapshot.otherLoad.filter((o) => circuits.has(o.circuitId)) }),
    },
    policy,
    now,
  );
}

/** 409: the change was based on `baseVersion`, and `current` is in force now. */
function staleBase(baseVersion: number, current: number): AppError {
  const inForce = { reason: 'site.versionInForce', params: { current } } as const;
  return AppError.because('resource.conflict', 'site.stale', { baseVersion, current }, [
    { path: 'baseVersion', message: englishMessage(inForce), ...inForce },
  ]);
}
