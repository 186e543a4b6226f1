/** MQTT topics between a site gateway and the cloud (AWS IoT Core, or the local broker and bridge). */

/** The named shadow that carries a site's policy. */
export const POLICY_SHADOW = 'policy';

/** Telemetry, sessions and events from a site: `ampshare/sites/<siteId>/<stream>`. */
export const SITE_STREAMS = ['telemetry', 'sessions', 'events'] as const;
export type SiteStream = (typeof SITE_STREAMS)[number];

/** The topic a site publishes one stream on. */
export function siteStreamTopic(siteId: string, stream: SiteStream): string {
  return `ampshare/sites/${siteId}/${stream}`;
}

/** Commands from the cloud to a site, and the site's answers. */
export function siteCommandTopic(siteId: string): string {
  return `ampshare/sites/${siteId}/commands`;
}
export function siteCommandResultTopic(siteId: string): string {
  return `ampshare/sites/${siteId}/commands/result`;
}

/** The shadow topic prefix of a thing's named shadow (AWS IoT device shadow service). */
export function shadowTopic(thingName: string, shadowName: string, action: 'update' | 'get' | 'delete'): string {
  return `$aws/things/${thingName}/shadow/name/${shadowName}/${action}`;
}

/** Parses `ampshare/sites/<siteId>/<stream>`; undefined for any other topic. */
export function parseSiteStreamTopic(topic: string): { siteId: string; stream: SiteStream } | undefined {
  const match = /^ampshare\/sites\/([A-Za-z0-9._:-]{1,48})\/(telemetry|sessions|events)$/.exec(topic);
  return match ? { siteId: match[1]!, stream: match[2] as SiteStream } : undefined;
}
