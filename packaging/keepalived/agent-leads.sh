#!/bin/sh
# keepalived's track script for an Ampshare cluster node (docs/cluster.md): succeeds exactly while the local agent
# serves as the site's master. The agent keeps its leader flag file (`cluster.leaderFlagFile`, here the first argument,
# /run/ampshare/leader by default) present while it serves, holding its term and its process id, and writes it again
# every second while it still serves. The process must be alive (an agent killed with SIGKILL cannot remove its file)
# and the file fresh, at most the second argument's seconds old (3 by default): a frozen agent (SIGSTOP, a stalled VM)
# cannot refresh it, so the address leaves it while it is frozen.
# Install as /etc/keepalived/agent-leads.sh, owned by root, mode 0700.
flag="${1:-/run/ampshare/leader}"
read term pid < "$flag" || exit 1
kill -0 "$pid" 2>/dev/null || exit 1
modified=$(stat -c %Y "$flag") || exit 1
[ $(($(date +%s) - modified)) -le "${2:-3}" ]
