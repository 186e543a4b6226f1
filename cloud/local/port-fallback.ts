/**
 * A wanted port that is taken (a second `npm run cloud:local`, a Mosquitto on 1883): start on a free one instead and
 * say so, or fail with the option that picks another. Port 0 always picks a free one and never falls back.
 */

export interface PortChoice {
  /** What the user reads about it: the part, the port it wanted, and how to choose one. */
  readonly part: string;
  readonly wanted: number;
  /** The command-line option that sets this port. */
  readonly option: string;
  /** Start on a free port instead of failing (the CLI); off, a taken port is an error naming the option. */
  readonly fallback: boolean;
}

/** The notice printed when a part moved to a free port. */
export const movedNotice = (choice: PortChoice, port: number): string =>
  `${choice.part}: port ${choice.wanted} is taken (another local cloud or service?), listening on ${port} instead; ${choice.option} N chooses one`;

const isAddressInUse = (error: unknown) =>
  error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRINUSE';

/** Runs `start` on the wanted port; on EADDRINUSE either again on port 0 (reporting the move) or fails with a hint. */
export async function startOnPort<T extends { readonly port: number }>(
  choice: PortChoice,
  start: (port: number) => Promise<T>,
  onMoved: (notice: string) => void,
): Promise<T> {
  try {
    return await start(choice.wanted);
  } catch (error) {
    if (choice.wanted === 0 || !isAddressInUse(error)) throw error;
    if (!choice.fallback)
      throw new Error(`${choice.part}: port ${choice.wanted} is taken; choose another with ${choice.option} N`, {
        cause: error,
      });
    const started = await start(0);
    onMoved(movedNotice(choice, started.port));
    return started;
  }
}
