/** The console's runtime settings, served as `config.json` next to the bundle and read by the page at start. */
import { z } from 'zod';

export const ConsoleConfigSchema = z
  .object({
    /** Where the fleet API answers: `''` for the same origin, or e.g. `https://api.example.com`. */
    apiBaseUrl: z.string(),
    /** The local stack offers `POST dev-login` (a token for a tenant); never in AWS. */
    devLogin: z.boolean().default(false),
    /** AWS: the Cognito hosted UI sign-in URL, shown as a link on the login page. */
    signInUrl: z.url().optional(),
  })
  .strict();

export type ConsoleConfig = z.output<typeof ConsoleConfigSchema>;
