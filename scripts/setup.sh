#!/usr/bin/env bash
# Thunk's one install command: Debian packages the tests need (MinGW, oracles, Wine), the npm
# packages, the build, and the staged Windows agent runtimes. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-debian-packages.sh
# Electron's binary comes from GitHub, not npm: install without it so an offline machine still
# succeeds, then fetch it where that works (npm start falls back to the browser host without it).
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
timeout 300 node node_modules/electron/install.js >/dev/null 2>&1 || echo "Electron's binary could not be downloaded: npm start will serve the UI in a browser instead"
# npm ci builds through the `prepare` script; build here only where install scripts are turned off.
[ -f dist/cli.js ] || npm run build
npm run stage:agents
# Only where the kernel cannot run 32-bit x86 code: qemu-user for 32-bit Wine (says what it did and how to undo it).
node --import tsx scripts/ia32-emulation.ts enable
node --import tsx scripts/prepare-wine-prefix.ts
echo "Thunk is installed: try ./bin/thunk triage /path/to/some.dll"
