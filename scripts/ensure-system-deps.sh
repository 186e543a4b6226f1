#!/usr/bin/env bash
# Installs the Debian packages the tests need (socat and mbpoll for Modbus, chromium for browser tests, etcd and
# keepalived for the gateway cluster, systemd-analyze for the release test, g++ and make to compile better-sqlite3
# for the Node 22 lane) when missing.
# As root it installs them with apt-get; otherwise it says exactly what to install and fails.
set -euo pipefail
declare -A need=([socat]=socat [mbpoll]=mbpoll [chromium]=chromium [etcd]=etcd-server [keepalived]=keepalived [systemd-analyze]=systemd [g++]=g++ [make]=make)
missing=()
for bin in "${!need[@]}"; do command -v "$bin" >/dev/null 2>&1 || missing+=("${need[$bin]}"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-system-deps: installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "ensure-system-deps: missing Debian packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
