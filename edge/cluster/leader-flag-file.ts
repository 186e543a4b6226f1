/**
 * Leadership's word to keepalived: a file that exists exactly while this node leads, holding the term and the agent's
 * process id (`<term> <pid>`). keepalived's track script checks both that the file is there and that the process is
 * alive (`read term pid < <file> && kill -0 "$pid"`): a fenced node removes the file, and an agent killed with SIGKILL
 * cannot, so its dead pid is what releases the address. A node failing its track script goes to FAULT and releases
 * the virtual address the chargers dial; the elected node's instance may then take it. The file is written to a
 * temporary name and renamed, so the script never sees half a file.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { LeadershipListener } from './leadership';

export class LeaderFlagFile implements LeadershipListener {
  /** Removes a flag left by an earlier run: a node starts as not leading. */
  constructor(private readonly path: string) {
    rmSync(path, { force: true });
  }

  elected(term: { readonly term: string }): void {
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, `${term.term} ${process.pid}\n`);
    renameSync(temporary, this.path);
  }

  fenced(): void {
    rmSync(this.path, { force: true });
  }
}
