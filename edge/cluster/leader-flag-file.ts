/**
 * Leadership's word to keepalived: a file that exists exactly while this node serves as master, holding the term and
 * the agent's process id (`<term> <pid>`), and that the agent keeps fresh: every `refreshMs`, while it still serves
 * (its lease deadline not passed), it writes the file again. keepalived's track script
 * (packaging/keepalived/agent-leads.sh) checks that the file is there, that the process is alive, and that the file
 * is fresh: a fenced node removes the file, an agent killed with SIGKILL cannot, so its dead pid releases the address,
 * and a frozen agent (SIGSTOP, a stalled VM) cannot refresh it, so its stale file does. A node failing its track
 * script goes to FAULT and releases the virtual address the chargers dial; the elected node's instance may then take
 * it. The file is written to a temporary name and renamed, so the script never sees half a file.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { LeadershipListener } from './leadership';

/** How often a serving node refreshes its flag; the track script's age limit must be a few of these. */
export const FLAG_REFRESH_MS = 1_000;

export class LeaderFlagFile implements LeadershipListener {
  private refresh: NodeJS.Timeout | undefined;

  /** Removes a flag left by an earlier run: a node starts as not serving. `serving`: whether the node still serves. */
  constructor(
    private readonly path: string,
    private readonly serving: () => boolean,
    private readonly refreshMs = FLAG_REFRESH_MS,
  ) {
    rmSync(path, { force: true });
  }

  elected(term: { readonly term: string }): void {
    const content = `${term.term} ${process.pid}\n`;
    this.write(content);
    clearInterval(this.refresh);
    this.refresh = setInterval(() => {
      // A node that no longer serves is fenced at once (the file goes); until then its flag only goes stale.
      if (!this.serving()) return;
      try {
        this.write(content);
      } catch {
        // The flag goes stale and the address moves: a master that cannot keep its flag should not keep the address.
      }
    }, this.refreshMs);
    this.refresh.unref();
  }

  fenced(): void {
    clearInterval(this.refresh);
    this.refresh = undefined;
    rmSync(this.path, { force: true });
  }

  private write(content: string): void {
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, content);
    renameSync(temporary, this.path);
  }
}
