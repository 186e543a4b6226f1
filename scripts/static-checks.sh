#!/usr/bin/env bash
# npm test's checks before the tests: type-check, lint and the fences, side by side (each is single-threaded, so on
# two cores this takes about as long as the lint alone); each one's output is printed whole when it ends, and the
# script fails if any of them fails.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
names=(typecheck lint fences)
pids=()
for name in "${names[@]}"; do
  npm run --silent "$name" >"$logs/$name.log" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!names[@]}"; do
  if wait "${pids[$i]}"; then
    echo "ok    npm run ${names[$i]}"
  else
    status=1
    echo "FAIL  npm run ${names[$i]}:"
    cat "$logs/${names[$i]}.log"
  fi
done
exit "$status"
