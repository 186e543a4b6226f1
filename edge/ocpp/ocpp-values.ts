/** Value types that many OCPP 1.6 messages share: timestamps, id tags, id tag info. */
import { z } from 'zod';

/** An OCPP date-time on the wire, parsed to epoch milliseconds. */
export const OcppDateTimeSchema = z.iso.datetime({ offset: true }).transform((text) => Date.parse(text));

/** Renders epoch milliseconds as an OCPP date-time (UTC, whole seconds as chargers expect). */
export function ocppDateTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const IdTagSchema = z.string().min(1).max(20);

export const AUTHORIZATION_STATUSES = ['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx'] as const;
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];

/** What the central system tells a charger about an id tag (OCPP `IdTagInfo`). */
export interface IdTagInfo {
  status: AuthorizationStatus;
  expiryDate?: string;
  parentIdTag?: string;
}

export const REGISTRATION_STATUSES = ['Accepted', 'Pending', 'Rejected'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
