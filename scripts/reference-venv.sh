#!/usr/bin/env bash
# Installs one of the Python oracles from PyPI into its own virtual
# environment under target/, once, and prints its interpreter's path.
# Tests use the oracles as black boxes: they feed them logs and read their
# output; their source is never read or ported.
#
#   scripts/reference-venv.sh            spec-kitty-events 0.4.0a0 (Feature 004)
#   scripts/reference-venv.sh v11        spec-kitty-events 11.0.0 (the current contract)
#   scripts/reference-venv.sh cli        spec-kitty-cli 3.2.7 (what spec-kitty writes today)
#   scripts/reference-venv.sh all        all three; prints nothing
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

install() { # name, module to import, requirement
  local venv="$root/target/reference-venv$1"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import $2" 2>/dev/null; then
    mkdir -p "$root/target"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$3" >&2
  fi
  echo "$venv/bin/python"
}

case "${1:-v0.4}" in
  v0.4) install "" spec_kitty_events 'spec-kitty-events==0.4.0a0' ;;
  v11) install "-v11" spec_kitty_events 'spec-kitty-events==11.0.0' ;;
  cli) install "-cli" specify_cli 'spec-kitty-cli==3.2.7' ;;
  all)
    "$0" v0.4 >/dev/null
    "$0" v11 >/dev/null
    "$0" cli >/dev/null
    ;;
  *) echo "unknown oracle: $1 (v0.4, v11, cli or all)" >&2; exit 2 ;;
esac
