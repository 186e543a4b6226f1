#!/bin/sh
# keepalived's track script for an Ampshare cluster node (docs/cluster.md): succeeds exactly while the local agent
# serves as the site's master. The agent keeps its leader flag file (`cluster.leaderFlagFile`, here the first argument,
# /run/ampshare/leader by default) present while it serves, holding its term and its process id; the process must also
# be alive, since an agent killed with SIGKILL cannot remove its file.
# Install as /etc/keepalived/agent-leads.sh, owned by root, mode 0700.
read term pid < "${1:-/run/ampshare/leader}" || exit 1
exec kill -0 "$pid"
