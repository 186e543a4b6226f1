/** What the upstream link hands over when the operator's CSMS sets or clears a charging profile for a charger. */
export interface UpstreamLimits {
  record(
    chargerId: string,
    action: 'SetChargingProfile' | 'ClearChargingProfile',
    payload: unknown,
  ): 'Accepted' | 'Rejected' | 'Unknown';
}
