/**
 * Leadership's word to keepalived: a file that exists exactly while this node leads. keepalived's track script tests
 * for it (`/usr/bin/test -f <file>`), so a node that is fenced (or never elected) fails its track script, its VRRP
 * instance goes to FAULT and it releases the virtual address the chargers dial; the elected node's instance may then
 * take it. The file is written to a temporary name and renamed, so the script never sees half a file.
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
    writeFileSync(temporary, `${term.term}\n`);
    renameSync(temporary, this.path);
  }

  fenced(): void {
    rmSync(this.path, { force: true });
  }
}
