/**
 * The links to the operator's CSMS (docs/csms.md): each charger's upstream state, and the messages set aside, which
 * the admin may purge one by one (audited, and an event line: the CSMS will never get a purged message).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import {
  MAX_LISTED_SET_ASIDE,
  type SetAsideAnswer,
  type UpstreamAnswer,
} from '../../../shared/dashboard/upstream-answer';
import { UPSTREAM_SOURCE } from '../../upstream/upstream-link-report';
import type { DashboardServices } from '../dashboard-services';
import { eventLine } from '../live/event-line';
import type { DashboardEnv } from '../http/dashboard-env';

const SeqSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export function upstreamRoutes(services: DashboardServices) {
  const { deps, audit } = services;
  const app = new Hono<DashboardEnv>();
  app.get('/upstream', (c) => {
    const { upstream } = deps;
    return c.json<UpstreamAnswer>({
      enabled: upstream !== undefined,
      chargers: upstream === undefined ? [] : deps.reader.site.chargers.map((charger) => upstream.status(charger.id)),
    });
  });
  const setAside = (): SetAsideAnswer => ({ messages: deps.upstream?.setAside(MAX_LISTED_SET_ASIDE) ?? [] });
  app.get('/upstream/set-aside', (c) => c.json(setAside()));
  // A POST (not DELETE) so that the page's client, which sends writes with the CSRF token, needs nothing new.
  app.post('/upstream/set-aside/:seq/purge', (c) => {
    const seq = SeqSchema.safeParse(c.req.param('seq'));
    const purged = seq.success ? deps.upstream?.purgeSetAside(seq.data) : undefined;
    if (purged === undefined) {
      throw new AppError('resource.notFound', `no message set aside under "${c.req.param('seq').slice(0, 20)}"`);
    }
    const { chargerId, action, reason, payload } = purged;
    audit.change(c, 'upstream.purgeSetAside', { seq: purged.seq, chargerId, action, reason, payload });
    deps.feed.addEvent(
      eventLine(deps.clock.now(), 'warning', UPSTREAM_SOURCE, {
        reason: 'event.upstream.purged',
        params: { action, seq: purged.seq, charger: chargerId, why: { ref: `event.upstream.${reason}` } },
      }),
    );
    return c.json(setAside());
  });
  return app;
}
