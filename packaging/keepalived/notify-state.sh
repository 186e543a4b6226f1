#!/bin/sh
# keepalived's notify script for an Ampshare cluster node: writes the instance's new state (MASTER, BACKUP, FAULT or
# STOP) to the file the agent's dashboard reads (cluster.keepalivedStateFile), so its Network page can show it.
# keepalived calls it as: notify-state.sh <file> <INSTANCE|GROUP> <name> <state> [<priority>]
set -eu
file="$1"
state="$4"
tmp="$file.tmp"
# Its own folder under /run (a tmpfs: gone after each boot), apart from the agent's runtime folder, which systemd
# removes whenever the agent stops: a state written meanwhile must still be there when the agent starts again.
mkdir -p -m 0755 "$(dirname "$file")"
printf '%s\n' "$state" > "$tmp"
mv "$tmp" "$file"
