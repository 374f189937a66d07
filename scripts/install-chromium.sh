#!/bin/sh
# Installs Debian's headless Chromium for the page tests (Playwright drives /usr/bin/chromium;
# `playwright install` is never run). Needs root or sudo on a fresh machine.
set -eu
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "install-chromium.sh: /usr/bin/chromium is missing and there is no root or sudo to" \
       "install it; run: apt-get install chromium" >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
