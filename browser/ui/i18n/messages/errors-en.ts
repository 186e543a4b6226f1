/**
 * English: what the servers say. `server` is the servers' own table (shared/server-messages.ts), so the English
 * page shows what the API sends; `code` names each AppError code, for an answer whose message has no reason.
 * German in errors-de.ts.
 */
import { SERVER_MESSAGES } from '../../../../shared/server-messages';

export const errorsEn = {
  server: SERVER_MESSAGES,
  code: {
    config: { invalid: 'the configuration is invalid' },
    policy: { invalid: 'the policy is invalid', tooLarge: 'the policy is too large' },
    site: { invalid: 'the site is invalid' },
    state: { invalid: 'the site state is invalid' },
    message: { invalid: 'the request is invalid', tooLarge: 'the request is too large' },
    auth: {
      unauthenticated: 'sign in first',
      forbidden: 'you may not do that',
      tooManyAttempts: 'too many failed sign-ins: try again later',
    },
    resource: { notFound: 'not found', conflict: 'changed by someone else meanwhile: load it again' },
    charger: { rejected: 'the charger refused', timeout: 'the charger did not answer in time' },
    meter: { unavailable: 'the meter cannot be read' },
    storage: { unavailable: 'the change could not be saved: the disk takes no writes' },
    cluster: { noQuorum: 'etcd has no quorum: try again once it is whole' },
    internal: 'internal error: see the log',
  },
};
