#!/usr/bin/env bash
# npm test's checks before the tests: type-check, lint and the fences, side by side (each is single-threaded, so on
# two cores this takes about as long as the lint alone); each one's output is printed whole when it ends, with the
# seconds it took, and the script fails if any of them fails.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
names=(typecheck lint fences)
pids=()
for name in "${names[@]}"; do
  (
    started=$SECONDS
    npm run --silent "$name" >"$logs/$name.log" 2>&1
    status=$?
    echo $((SECONDS - started)) >"$logs/$name.seconds"
    exit "$status"
  ) &
  pids+=($!)
done
status=0
for i in "${!names[@]}"; do
  name=${names[$i]}
  if wait "${pids[$i]}"; then
    echo "ok    npm run $name ($(cat "$logs/$name.seconds") s)"
  else
    status=1
    echo "FAIL  npm run $name ($(cat "$logs/$name.seconds") s):"
    cat "$logs/$name.log"
  fi
done
exit "$status"
