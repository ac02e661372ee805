#!/usr/bin/env bash
# Installs the locked dependencies and runs the SDK tests with Node's test runner.
# Needs EDGE_BINARY (the native Edge binary, e.g. artifacts/edge from `bash scripts/publish`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${EDGE_BINARY:-}" ]; then
  echo "test.sh: set EDGE_BINARY to the Edge binary (bash scripts/publish writes artifacts/edge)" >&2
  exit 2
fi
export EDGE_BINARY="$(cd "$(dirname "$EDGE_BINARY")" && pwd)/$(basename "$EDGE_BINARY")"
# A dependency that does not support this Node (EBADENGINE) fails the run: package.json's engines must stay true.
ci_log=$(npm ci --no-audit --no-fund 2>&1) || { echo "$ci_log" >&2; exit 1; }
if grep -q EBADENGINE <<<"$ci_log"; then
  echo "$ci_log" >&2
  echo "test.sh: a dependency needs a newer Node than $(node --version) (EBADENGINE); engines says $(node -p 'require("./package.json").engines.node')" >&2
  exit 1
fi
# The package stays publishable: a licence, and a pack that builds (what npm publish --dry-run checks, minus the login).
node -e 'const p = require("./package.json"); if (!p.license || p.license === "UNLICENSED") { console.error("test.sh: package.json has no licence"); process.exit(1); }'
npm pack --dry-run --loglevel=error >/dev/null
npx tsc -p tsconfig.json --noEmit
node --import tsx --test --test-reporter=spec test/*.test.ts
