#!/usr/bin/env bash
# Installs (or upgrades, or rolls back) the Ampshare edge agent from this unpacked release (docs/install.md).
#
#   sudo ./install.sh              install or upgrade to this release, then (re)start the service
#   sudo ./install.sh --rollback   go back to the release that was current before the last upgrade
#   ./install.sh --root DIR        install into DIR as if it were / (a scratch root: no user, no systemctl)
#   ./install.sh --node PATH ...   check the release against this node instead of /usr/bin/node (with --root, the
#                                  check runs only when --node is given)
#
# Layout: /opt/ampshare/releases/<version>/ (the code), /opt/ampshare/current and /opt/ampshare/previous (symlinks),
# /etc/ampshare/ (site.json, certificates; never overwritten), /var/lib/ampshare/ (the SQLite data),
# /var/lib/ampshare/backups/ (an online backup taken before every upgrade), /etc/systemd/system/ampshare.service.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root=/
mode=install
node=
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?--root needs a folder}"; shift 2 ;;
    --rollback) mode=rollback; shift ;;
    --node) node="${2:?--node needs the path of a node}"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
root="${root%/}"
live=false
[ -z "$root" ] && live=true
opt="$root/opt/ampshare"
etc="$root/etc/ampshare"
data="$root/var/lib/ampshare"
unit="$root/etc/systemd/system/ampshare.service"
say() { echo "ampshare install: $*"; }

if $live && [ "$(id -u)" -ne 0 ]; then echo "install.sh: run it as root (sudo), or with --root DIR" >&2; exit 1; fi

$live && node="${node:-/usr/bin/node}"
node_says() { "$node" -p "$1" 2>/dev/null || echo 0; }
if [ -n "$node" ] && [ "$(node_says 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "install.sh: $node must be Node 20 or newer (22 recommended); see docs/install.md" >&2
  exit 1
fi

# better-sqlite3's addon loads only into the Node major it was compiled for (its NODE_MODULE_VERSION, in the name of
# the symbol it registers with): refuse a release built for another one before anything is installed or stopped.
check_node_fits() {
  local release="$1" addon built wants
  addon="$release/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
  [ -n "$node" ] || return 0
  built="$(grep -ao 'node_register_module_v[0-9]*' "$addon" 2>/dev/null | head -n 1 | sed 's/.*_v//')" || true
  wants="$(node_says 'process.versions.modules')"
  [ -n "$built" ] && [ "$built" = "$wants" ] && return 0
  local built_node gateway_node
  built_node="$(sed -n 's/^ *"builtWithNode": *"\([^"]*\)".*/\1/p' "$release/package.json" | head -n 1)"
  gateway_node="$(node_says 'process.versions.node')"
  {
    echo "install.sh: this release's better-sqlite3 was built for Node ${built_node%%.*} (${built_node:-unknown}, NODE_MODULE_VERSION ${built:-unknown}),"
    echo "  but this gateway runs Node ${gateway_node%%.*} ($node is $gateway_node, NODE_MODULE_VERSION $wants): the agent could not open its database."
    echo "  Build the release with Node ${gateway_node%%.*} (npm ci && npm run release, on a machine of this architecture),"
    echo "  or install Node ${built_node%%.*} on the gateway; see docs/install.md, \"2. The release\". Nothing was changed."
  } >&2
  exit 1
}

service() { if $live && command -v systemctl >/dev/null; then systemctl "$@"; fi; }

# An online backup of the data (consistent while the agent runs), with the release that is about to run on it.
backup_data() {
  local release="$1" to="$2"
  [ -f "$data/ampshare.sqlite" ] || return 0
  /usr/bin/env node "$release/dist/edge/agent/backup.mjs" "$data" "$to"
}

if [ "$mode" = rollback ]; then
  [ -L "$opt/previous" ] || { echo "install.sh: no previous release to roll back to" >&2; exit 1; }
  from="$(readlink "$opt/current")"
  to="$(readlink "$opt/previous")"
  check_node_fits "$opt/$to"
  service stop ampshare.service
  # The database may have been migrated by the release rolled back from: the backup taken before that upgrade goes
  # back in place, and the data as it is now is kept beside it.
  before="$data/backups/before-$(basename "$from")"
  if [ -f "$before/ampshare.sqlite" ]; then
    aside="$data/backups/rolled-back-$(basename "$from")-$(date -u +%Y%m%dT%H%M%SZ)"
    mkdir -p "$aside"
    for f in ampshare.sqlite outbox.sqlite; do
      [ -f "$data/$f" ] && mv "$data/$f" "$aside/$f"
      rm -f "$data/$f-wal" "$data/$f-shm"
      [ -f "$before/$f" ] && cp -p "$before/$f" "$data/$f"
    done
    say "restored the data of $(basename "$before"); the data until now is in $aside"
  fi
  ln -sfn "$to" "$opt/current.new" && mv -T "$opt/current.new" "$opt/current"
  ln -sfn "$from" "$opt/previous.new" && mv -T "$opt/previous.new" "$opt/previous"
  service start ampshare.service
  say "rolled back from $(basename "$from") to $(basename "$to")"
  exit 0
fi

version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$here/release/package.json" | head -n 1)"
[ -n "$version" ] || { echo "install.sh: no version in release/package.json" >&2; exit 1; }
target="$opt/releases/$version"
check_node_fits "$here/release"

if $live && ! id ampshare >/dev/null 2>&1; then
  useradd --system --user-group --home-dir /var/lib/ampshare --no-create-home --shell /usr/sbin/nologin ampshare
  say "created the system user ampshare"
fi
$live && usermod -a -G dialout ampshare

mkdir -p "$opt/releases" "$etc" "$data/backups" "$(dirname "$unit")"
chmod 0750 "$etc" "$data"
$live && chown ampshare:ampshare "$data" "$data/backups" && chown root:ampshare "$etc"

rm -rf "$target.new"
cp -a "$here/release" "$target.new"
rm -rf "$target" && mv "$target.new" "$target"

old=""
[ -L "$opt/current" ] && old="$(readlink "$opt/current")"
if [ -n "$old" ] && [ "$old" != "releases/$version" ]; then
  service stop ampshare.service
  backup_data "$target" "$data/backups/before-$version"
  $live && [ -d "$data/backups/before-$version" ] && chown -R ampshare:ampshare "$data/backups/before-$version"
  ln -sfn "$old" "$opt/previous.new" && mv -T "$opt/previous.new" "$opt/previous"
  say "upgrading from $(basename "$old") to $version (backup in $data/backups/before-$version)"
fi
ln -sfn "releases/$version" "$opt/current.new" && mv -T "$opt/current.new" "$opt/current"

install -m 0644 "$here/ampshare.service" "$unit"
install -m 0640 "$here/site.example.json" "$etc/site.example.json"
$live && chown root:ampshare "$etc/site.example.json"

if [ ! -f "$etc/site.json" ]; then
  say "installed $version; write $etc/site.json (from site.example.json and docs/configuration.md), then: systemctl enable --now ampshare"
  service daemon-reload
  exit 0
fi
service daemon-reload
service enable ampshare.service
service restart ampshare.service
say "installed $version and (re)started ampshare.service; journalctl -u ampshare -f shows its log"
