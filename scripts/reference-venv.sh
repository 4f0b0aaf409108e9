#!/usr/bin/env bash
# Installs the Python reference library (spec-kitty-events 0.4.0a0 from PyPI)
# into target/reference-venv, once. Tests use it as a black box: they feed it
# logs and read its JSON; its source is never read or ported.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/target/reference-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import spec_kitty_events' 2>/dev/null; then
  mkdir -p "$root/target"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'spec-kitty-events==0.4.0a0'
fi
echo "$venv/bin/python"
