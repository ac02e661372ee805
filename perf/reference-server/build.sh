#!/usr/bin/env bash
# Builds the reference server: perf/reference-server/build.sh [OUT] (default artifacts/reference-server).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../artifacts/reference-server}"
mkdir -p "$(dirname "$out")"
gcc -std=c11 -O2 -Wall -Wextra -Werror -o "$out" "$here/reference_server.c" -lm
