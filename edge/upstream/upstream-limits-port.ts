/**
 * How the CSMS's own smart-charging limits are handed over. The upstream link does not forward a CSMS's TxProfile or
 * TxDefaultProfile (SetChargingProfile) to the charger, nor its ClearChargingProfile for them: it passes the call's
 * payload here, with transaction ids already in the charger's terms (provisional where the charger knows a provisional
 * one), and answers the CSMS with what `record` resolves to (it rejects when the change could not be kept, a cluster's
 * ledger write failing: nothing changed). The evaluation of those profiles against the site's own
 * allocation lives behind this interface (edge/upstream/csms-limits.ts).
 */
export interface UpstreamLimits {
  record(
    chargerId: string,
    action: 'SetChargingProfile' | 'ClearChargingProfile',
    payload: unknown,
  ): Promise<'Accepted' | 'Rejected' | 'Unknown'>;
  /**
   * The charger accepted a RemoteStartTransaction with the CSMS's `chargingProfile` (a TxProfile, never sent to the
   * charger): it is the TxProfile of the transaction that starts next on `connectorId` (any, when undefined).
   */
  remoteStart(chargerId: string, connectorId: number | undefined, profile: unknown): void;
}
