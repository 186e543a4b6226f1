/** OCPP 1.6 ClearChargingProfile matching: by id when one is given, else by every criterion given (none given: all). */
import type { CsmsClear, StoredProfile } from './csms-profile-schema';

/** Whether `clear` removes `stored`. */
export function clearMatches(clear: CsmsClear, stored: StoredProfile): boolean {
  if (clear.id !== undefined) return stored.profile.chargingProfileId === clear.id;
  return (
    (clear.connectorId === undefined || clear.connectorId === stored.connectorId) &&
    (clear.chargingProfilePurpose === undefined ||
      clear.chargingProfilePurpose === stored.profile.chargingProfilePurpose) &&
    (clear.stackLevel === undefined || clear.stackLevel === stored.profile.stackLevel)
  );
}

/** Whether a new profile replaces a kept one: the same id, or the same connector, purpose and stack level (§5.16). */
export function replaces(incoming: StoredProfile, stored: StoredProfile): boolean {
  return (
    incoming.profile.chargingProfileId === stored.profile.chargingProfileId ||
    (incoming.connectorId === stored.connectorId &&
      incoming.profile.chargingProfilePurpose === stored.profile.chargingProfilePurpose &&
      incoming.profile.stackLevel === stored.profile.stackLevel)
  );
}
