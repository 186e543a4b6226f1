/** German: why the agent's store could not be written (shared/storage-causes.ts has the English and says where it comes from). */
import type { STORAGE_CAUSE_MESSAGES } from '../../../../shared/storage-causes';

export const storageCausesDe: typeof STORAGE_CAUSE_MESSAGES = {
  diskFull: 'der Datenträger ist voll',
  readOnly: 'der Datenträger oder die Datenbank ist schreibgeschützt',
  permission: 'der Agent darf seinen Datenordner nicht beschreiben',
  ioError: 'der Datenträger hat einen Lese- oder Schreibfehler gemeldet',
  locked: 'ein anderer Prozess hält die Datenbank gesperrt',
  corrupt: 'die Datenbankdatei ist beschädigt',
  other: 'ein Schreibvorgang ist aus einem anderen Grund fehlgeschlagen (der Fehler steht im Protokoll des Agenten)',
};
