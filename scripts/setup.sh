#!/usr/bin/env bash
# Thunk's one install command: Debian packages the tests need (MinGW, oracles, Wine), the npm
# packages, the build, and the staged Windows agent runtimes. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-debian-packages.sh
npm ci --no-audit --no-fund
# npm ci builds through the `prepare` script; build here only where install scripts are turned off.
[ -f dist/cli.js ] || npm run build
npm run stage:agents
node --import tsx scripts/prepare-wine-prefix.ts
echo "Thunk is installed: try ./bin/thunk triage /path/to/some.dll"
