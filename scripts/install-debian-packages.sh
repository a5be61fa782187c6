#!/usr/bin/env bash
# Installs the Debian packages Thunk's tests need: MinGW cross compilers (fixture DLLs),
# independent PE oracles (objdump, llvm-readobj, pefile, undname, c++filt) and Wine with both
# architectures (real Windows runtimes for the agent tests), gcc-multilib for the fault fix that
# 32-bit Wine needs where it runs under qemu (scripts/ia32-emulation.ts sets that up when needed),
# openssl + osslsigncode (the Authenticode tests sign fixture copies with a PKI and timestamping
# authority of their own), and Chromium (the UI's end-to-end tests through Playwright, which cannot
# download its own browser here).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

if ! dpkg --print-foreign-architectures | grep -qx i386; then
  $SUDO dpkg --add-architecture i386
fi
# The security mirror may serve an amd64 index before the i386 one; multiarch needs the same
# version of each library for both, so prefer the main archive's versions (see the Wine guide).
$SUDO tee /etc/apt/preferences.d/thunk-multiarch-pin >/dev/null <<'PIN'
Package: *
Pin: release l=Debian-Security
Pin-Priority: 100
PIN

# A mirror mid-sync can fail one index (seen here: bookworm-security i386); the others still
# serve, and the pin above keeps both architectures on the main archive's versions.
$SUDO apt-get update -qq || echo "apt-get update reported errors; continuing with the indexes it fetched" >&2
$SUDO apt-get install -y -qq --no-install-recommends \
  gcc-mingw-w64-i686 gcc-mingw-w64-x86-64 binutils-mingw-w64 \
  llvm-14 binutils python3-pefile cmark-gfm \
  wine wine64 wine32:i386 gcc-multilib xvfb \
  openssl osslsigncode chromium >/dev/null
