/** Per-node reports that an outbox may replay out of order: only a report newer than the stored one replaces it. */
import { isConditionFailure } from './db-errors';

/** The put's condition: no report of this node yet, or an older one. */
interface NewerThanStored {
  or: [{ attr: 'nodeId'; exists: false }, { attr: 'at'; lt: number }];
}

const newerThanStored = (at: number): NewerThanStored => ({
  or: [
    { attr: 'nodeId', exists: false },
    { attr: 'at', lt: at },
  ],
});

/** Puts a report under `newerThanStored`; a report no newer than the stored one is dropped without an error. */
export async function putNewestReport(
  at: number,
  put: (condition: NewerThanStored) => Promise<unknown>,
): Promise<void> {
  try {
    // An outbox replays what a cut-off node kept, in any order after a reconnect.
    await put(newerThanStored(at));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
