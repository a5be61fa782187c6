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
# Only where the kernel cannot run 32-bit x86 code: qemu-user for 32-bit Wine (says what it did and how to undo it).
node --import tsx scripts/ia32-emulation.ts enable
node --import tsx scripts/prepare-wine-prefix.ts
echo "Thunk is installed: try ./bin/thunk triage /path/to/some.dll"
