#!/usr/bin/env bash
# Writes one etcd member's settings for an Ampshare cluster (docs/cluster.md, "How to set up two gateways and a
# witness"), as the environment file Debian's etcd.service reads (/etc/default/etcd). The same for a gateway and for
# the witness: the witness is a member like the others that runs nothing else. Copy this script to the witness.
#
#   etcd-member.sh --name gw-a --client-url http://10.0.0.11:2379 \
#     --initial-cluster gw-a=http://10.0.0.11:2380,gw-b=http://10.0.0.12:2380,witness=http://10.0.0.13:2380 \
#     --token ampshare-<site id> [--data-dir /var/lib/etcd/ampshare] [--out /etc/default/etcd]
#
# --name            this member, one of --initial-cluster's names
# --client-url      where the agents reach this member (http://<its site LAN address>:2379); it also listens on
#                   127.0.0.1 at that port, for etcdctl on the box itself
# --initial-cluster every member as name=peer URL (this member's peer URL is its entry); the same on all of them
# --token           the cluster's token, the same on all members (one per site, so two sites' members never join)
# Without --out the settings go to stdout.
set -euo pipefail

name=
client_url=
initial_cluster=
token=
data_dir=/var/lib/etcd/ampshare
out=
fail() { echo "etcd-member.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || [ "$1" = -h ] || [ "$1" = --help ] || fail "$1 needs a value (see --help)"
  case "$1" in
    --name) name="$2"; shift 2 ;;
    --client-url) client_url="$2"; shift 2 ;;
    --initial-cluster) initial_cluster="$2"; shift 2 ;;
    --token) token="$2"; shift 2 ;;
    --data-dir) data_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) fail "unknown option $1 (see --help)" ;;
  esac
done

# systemd's EnvironmentFile keeps everything after '=' (a '# comment' too) and gives quotes, '\' and '$' meanings of
# its own, and etcd refuses a value it cannot parse: every value written is plain, so what etcd gets is what is meant.
plain='^[A-Za-z0-9._:/@,=+-]+$'
url='^http://[A-Za-z0-9.-]+:[0-9]+$'
[ -n "$name" ] || fail "--name is missing"
[[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] || fail "--name '$name' may hold only letters, digits, '-' and '_'"
[[ "$client_url" =~ $url ]] || fail "--client-url '$client_url' is not http://<address>:<port>"
[[ "$token" =~ $plain ]] || fail "--token '$token' is missing or holds spaces, quotes, '#', '\\' or '\$'"
[[ "$data_dir" =~ $plain ]] || fail "--data-dir '$data_dir' holds spaces, quotes, '#', '\\' or '\$'"

peer_url=
members=0
IFS=, read -r -a entries <<< "$initial_cluster"
for entry in "${entries[@]}"; do
  [[ "$entry" =~ ^([A-Za-z0-9_-]+)=(http://[A-Za-z0-9.-]+:[0-9]+)$ ]] ||
    fail "--initial-cluster entry '$entry' is not <name>=http://<address>:<port>"
  members=$((members + 1))
  [ "${BASH_REMATCH[1]}" = "$name" ] && peer_url="${BASH_REMATCH[2]}"
done
# Two members have no quorum once either is lost: a site without a witness runs no etcd (the two-gateway rule).
[ "$members" -ge 3 ] || fail "--initial-cluster names $members members; etcd needs 3 (two gateways and a witness)"
[ -n "$peer_url" ] || fail "--name '$name' is not one of --initial-cluster's members"

client_port="${client_url##*:}"
listen_client="$client_url"
case "$client_url" in
  http://127.0.0.1:*|http://localhost:*) ;;
  *) listen_client="$client_url,http://127.0.0.1:$client_port" ;;
esac

settings() {
  cat <<EOF
# etcd member $name of an Ampshare cluster, written by etcd-member.sh (docs/cluster.md). Debian's etcd.service reads
# this file; comments stay on lines of their own (systemd keeps a '# ...' after a value as part of the value).
ETCD_NAME=$name
ETCD_DATA_DIR=$data_dir
ETCD_LISTEN_PEER_URLS=$peer_url
ETCD_INITIAL_ADVERTISE_PEER_URLS=$peer_url
ETCD_LISTEN_CLIENT_URLS=$listen_client
ETCD_ADVERTISE_CLIENT_URLS=$client_url
ETCD_INITIAL_CLUSTER=$initial_cluster
ETCD_INITIAL_CLUSTER_STATE=new
ETCD_INITIAL_CLUSTER_TOKEN=$token
# A member back from a partition must not depose etcd's leader (pre-vote is off in etcd 3.4): that election stalled
# the cluster past the master's fence deadline.
ETCD_PRE_VOTE=true
# The agents ping their connections every 2 s (edge/cluster/etcd-client.ts); etcd closes a connection pinged more
# often than every 5 s unless told otherwise.
ETCD_GRPC_KEEPALIVE_MIN_TIME=1s
EOF
}

if [ -z "$out" ]; then
  settings
else
  settings > "$out.new" && mv "$out.new" "$out"
  echo "etcd-member.sh: wrote $out for member $name; then: systemctl restart etcd"
fi
