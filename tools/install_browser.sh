#!/usr/bin/env bash
# Install the browser the real-browser test drives: Debian's Chromium at /usr/bin/chromium.
# Best effort: it never downloads a browser build of its own (no `playwright install`), and it
# exits non-zero without harm where it cannot install (not root, no apt, no registry); the
# test then skips with the reason this script printed.
set -u
if [ -x /usr/bin/chromium ]; then
    echo "chromium: already installed ($(/usr/bin/chromium --version 2>/dev/null || echo '?'))"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: not installed and apt-get is not available on this machine" >&2
    exit 1
fi
if [ "$(id -u)" != "0" ]; then
    echo "chromium: not installed, and installing it needs root (run: sudo apt-get install -y chromium)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# An old or missing package list finds nothing: refresh it first, quietly.
apt-get update -qq >/dev/null 2>&1 || echo "chromium: apt-get update failed; trying the cached package list" >&2
if ! apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; then
    echo "chromium: apt-get install -y chromium failed (no package registry reachable?)" >&2
    exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
    echo "chromium: installed, but /usr/bin/chromium is missing" >&2
    exit 1
fi
echo "chromium: installed $(/usr/bin/chromium --version 2>/dev/null)"
