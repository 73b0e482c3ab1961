#!/usr/bin/env bash
# `make up` as a newcomer runs it: a clean clone of this checkout, an empty HOME, a minimal
# PATH (/usr/local/bin:/usr/bin:/bin: Debian's Python 3.11 and Node 20, no uv). Passes when
# https://localhost:8443/readyz answers 200 and the process listening on 8443 is traefik.
# Usage: scripts/fresh_machine_check.sh [timeout-seconds]   (CI runs it after `make test`)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
timeout="${1:-900}"
work="$(mktemp -d)"
home="${FRESH_HOME:-$work/home}"
mkdir -p "$home"
git clone --quiet "$repo" "$work/clone"
# What the clone must contain is what is committed: uncommitted work would not be tested.
cd "$work/clone"
log="$work/make-up.log"
echo "fresh-check: make up in $work/clone (HOME=$home), log $log"
setsid env -i HOME="$home" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
  make up >"$log" 2>&1 &
pid=$!
stop() {
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}
trap stop EXIT
deadline=$((SECONDS + timeout))
until curl -fsS --cacert data/gateway/ca.pem https://localhost:8443/readyz >"$work/readyz.json" 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "fresh-check: make up exited early"; tail -40 "$log"; exit 1
  fi
  if (( SECONDS > deadline )); then
    echo "fresh-check: no 200 from /readyz within ${timeout}s"; tail -40 "$log"; exit 1
  fi
  sleep 2
done
listener="$(ss -ltnpH 'sport = :8443' | grep -o 'users:(("[^"]*"' | head -1)"
echo "fresh-check: /readyz $(cat "$work/readyz.json")"
echo "fresh-check: listening on 8443: $listener"
if [[ "$listener" != *'"traefik"'* ]]; then
  echo "fresh-check: 8443 is not served by traefik"; exit 1
fi
echo "fresh-check: passed in ${SECONDS}s"
