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
npm ci --no-audit --no-fund --loglevel=error
npx tsc -p tsconfig.json --noEmit
node --import tsx --test --test-reporter=spec test/*.test.ts
