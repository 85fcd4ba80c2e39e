#!/usr/bin/env bash
# Install Debian's Chromium for the dashboard's browser tests (Playwright drives /usr/bin/chromium;
# no browser is ever downloaded by Playwright). Idempotent: does nothing if it is already there.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y chromium
/usr/bin/chromium --version
