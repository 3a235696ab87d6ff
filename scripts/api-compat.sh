#!/usr/bin/env bash
# Breaking-change gate: compares openapi/openapi.yaml with the spec of the
# previous commit (API_BASE, default HEAD~1) using openapi-diff, and fails on
# a breaking change unless the last commit's message carries the marker
# [breaking-api] (see README, "Clients and contract").
set -euo pipefail
cd "$(dirname "$0")/.."
base=${API_BASE:-HEAD~1}
marker='[breaking-api]'

if ! git rev-parse -q --verify "${base}^{commit}" >/dev/null 2>&1; then
	echo "api-compat: no commit $base to compare with (first commit or shallow clone); skipped"
	exit 0
fi
if ! git cat-file -e "${base}:openapi/openapi.yaml" 2>/dev/null; then
	echo "api-compat: $base has no openapi/openapi.yaml; nothing to compare"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git show "${base}:openapi/openapi.yaml" >"$tmp/base.yaml"
if npx --no-install openapi-diff "$tmp/base.yaml" openapi/openapi.yaml >"$tmp/diff.txt" 2>&1; then
	echo "api-compat: no breaking change against $base"
	exit 0
fi
if ! grep -q '"breakingDifferences"' "$tmp/diff.txt"; then
	echo "api-compat: openapi-diff failed:"
	cat "$tmp/diff.txt"
	exit 1
fi
if git log -1 --format=%B HEAD | grep -qF "$marker"; then
	echo "api-compat: breaking change against $base accepted: the commit message carries $marker"
	exit 0
fi
grep -v '^npm warn' "$tmp/diff.txt"
echo "api-compat: breaking change against $base. Make it compatible, or say so on purpose with $marker in the commit message."
exit 1
