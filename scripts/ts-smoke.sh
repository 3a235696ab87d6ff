#!/usr/bin/env bash
# The TypeScript client's smoke test against a live service: starts
# `billing dev` on a private PostgreSQL cluster in a temp directory and a free
# port, runs test/ts-smoke (already compiled, the workspace consumer), then
# scripts/ts-consumer.sh (a scratch project under /tmp that installs gen/ts as
# README.md says), then stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-bin/billing}
dir=$(mktemp -d /tmp/billing-ts-smoke-XXXXXX)
chmod 755 "$dir" # the cluster runs as the postgres user when we are root
DATABASE_URL='' BILLING_METRICS_ADDR='' "$bin" dev --addr 127.0.0.1:0 --data-dir "$dir" >"$dir/out.log" 2>"$dir/err.log" &
pid=$!
cleanup() {
	kill -INT "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 1 600); do
	grep -q '^export VIEWER_TOKEN=' "$dir/out.log" && break
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "ts-smoke: the service did not start:"
		cat "$dir/out.log" "$dir/err.log"
		exit 1
	fi
	sleep 0.1
done
if ! grep -q '^export VIEWER_TOKEN=' "$dir/out.log"; then
	echo "ts-smoke: no tokens after 60 s:"
	cat "$dir/out.log" "$dir/err.log"
	exit 1
fi
BILLING_URL=$(sed -n 's/.*serving on \(http:[^ ;]*\).*/\1/p' "$dir/out.log")
ADMIN_TOKEN=$(sed -n 's/^export ADMIN_TOKEN=//p' "$dir/out.log")
VIEWER_TOKEN=$(sed -n 's/^export VIEWER_TOKEN=//p' "$dir/out.log")
export BILLING_URL ADMIN_TOKEN VIEWER_TOKEN
node test/ts-smoke/dist/smoke.js
scripts/ts-consumer.sh
