#!/usr/bin/env bash
# The TypeScript client as README.md tells a project outside this repository
# to use it: a scratch project under /tmp depends on the folder
# ("@nitida/billing-client": "file:../billing/gen/ts") with install-links=true
# in its .npmrc, runs `npm install`, type-checks test/ts-smoke's flow with its
# own tsc and, when BILLING_URL, ADMIN_TOKEN and VIEWER_TOKEN are set (as
# scripts/ts-smoke.sh sets them), runs it with node against that service.
# Nothing is built or installed in this checkout; it is only read.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/billing-ts-consumer-XXXXXX)
trap 'rm -rf "$dir"' EXIT
# The README's layout: the project beside a checkout named billing.
ln -s "$repo" "$dir/billing"
mkdir -p "$dir/app/src"
cd "$dir/app"
cat >package.json <<'EOF'
{
  "name": "billing-ts-consumer",
  "private": true,
  "type": "module",
  "dependencies": {
    "@nitida/billing-client": "file:../billing/gen/ts"
  },
  "devDependencies": {
    "@types/node": "20.19.43",
    "typescript": "5.9.3"
  }
}
EOF
echo 'install-links=true' >.npmrc
cp "$repo/test/ts-smoke/tsconfig.json" tsconfig.json
cp "$repo/test/ts-smoke/src/smoke.ts" src/smoke.ts
npm install --no-audit --no-fund --loglevel=error

# A copy with its own dependency, not a link into the checkout.
pkg=node_modules/@nitida/billing-client
if [ -L "$pkg" ] || [ ! -f node_modules/openapi-fetch/package.json ]; then
	echo "ts-consumer: npm linked the folder or left openapi-fetch out:"
	ls -la node_modules node_modules/@nitida
	exit 1
fi
if ! diff -r "$repo/gen/ts/dist" "$pkg/dist" >/dev/null; then
	echo "ts-consumer: the installed dist/ differs from gen/ts/dist:"
	diff -r "$repo/gen/ts/dist" "$pkg/dist" | head -20
	exit 1
fi
npx --no-install tsc -p tsconfig.json
if [ -n "${BILLING_URL:-}" ]; then
	echo "ts-consumer: running the flow from $dir/app"
	node dist/smoke.js
else
	echo "ts-consumer: installed and type-checked in $dir/app (no BILLING_URL: not run)"
fi
