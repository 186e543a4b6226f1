/**
 * Guards the dashboard against DNS rebinding: a page on `evil.example` whose name an attacker re-points at the
 * gateway would otherwise be same-origin with the dashboard in the victim's browser, and could drive its API with the
 * victim's session. Such a request still carries `Host: evil.example`, so the dashboard answers only to names it is
 * known by: IP literals (a browser origin that is an IP cannot be rebound), `localhost` and `*.localhost`, the host it
 * listens on, and the names in `dashboard.allowedHosts` (a leading dot allows a domain and its subdomains, as in
 * Django's and Vite's allow-lists). Anything else is refused with 403 before any route runs.
 */
import type { MiddlewareHandler } from 'hono';
import { isIP } from 'node:net';
import { AppError } from '../../../shared/errors';

/** A host name as compared: lower case, no trailing dot, IPv6 without brackets. */
const normal = (name: string) =>
  name
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[(.*)\]$/, '$1');

/** True when the dashboard answers to `hostname` (the Host header without its port). */
export function isAllowedHost(hostname: string, allowed: readonly string[]): boolean {
  const host = normal(hostname);
  if (isIP(host) !== 0 || host === 'localhost' || host.endsWith('.localhost')) return true;
  return allowed.some((entry) => {
    const name = normal(entry);
    return name.startsWith('.') ? host === name.slice(1) || host.endsWith(name) : host === name;
  });
}

/** Middleware: refuses a request whose Host is not an allowed name. `listenHost` is added when it is a name. */
export function hostAllowList(listenHost: string, allowedHosts: readonly string[]): MiddlewareHandler {
  const allowed = [...allowedHosts, listenHost];
  return async (c, next) => {
    const hostname = new URL(c.req.url).hostname;
    if (!isAllowedHost(hostname, allowed)) {
      throw new AppError(
        'auth.forbidden',
        `the dashboard does not answer to the host name ${JSON.stringify(normal(hostname))} (a DNS rebinding attempt, or a name to add to dashboard.allowedHosts)`,
      );
    }
    await next();
  };
}
