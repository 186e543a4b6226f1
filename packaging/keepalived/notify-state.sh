#!/bin/sh
# keepalived's notify script for an Ampshare cluster node: writes the instance's new state (MASTER, BACKUP, FAULT or
# STOP) to the file the agent's dashboard reads (cluster.keepalivedStateFile), so its Network page can show it.
# keepalived calls it as: notify-state.sh <file> <INSTANCE|GROUP> <name> <state> [<priority>]
set -eu
file="$1"
state="$4"
tmp="$file.tmp"
printf '%s\n' "$state" > "$tmp"
mv "$tmp" "$file"
