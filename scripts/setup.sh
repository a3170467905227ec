#!/usr/bin/env bash
# Installs everything fixnn needs on a Debian bookworm machine: the Debian -dev packages it
# builds against, and the Python virtual environments its tests use (kept outside the repo,
# under ${FIXNN_CACHE:-~/.cache/fixnn}). Safe to run again: finished steps are skipped.
#
#   scripts/setup.sh            Debian packages and every virtual environment
#   scripts/setup.sh --no-python   Debian packages only
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${FIXNN_CACHE:-$HOME/.cache/fixnn}"
python="${FIXNN_PYTHON:-python3}"
with_python=1
[ "${1:-}" = "--no-python" ] && with_python=0

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

mkdir -p "$cache"

# --- Debian packages -------------------------------------------------------------------
debs=()
while read -r pkg _; do
  [ -n "$pkg" ] && [ "${pkg:0:1}" != "#" ] && debs+=("$pkg")
done < "$here/debian-packages.txt"

missing=()
for pkg in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq || die "apt-get update failed"
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$cache/apt.log" 2>&1; then
    for pkg in "${missing[@]}"; do
      apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [0-9]' || say "package not available: $pkg"
    done
    die "apt-get install failed (log: $cache/apt.log)"
  fi
else
  say "Debian packages: all ${#debs[@]} present"
fi

[ "$with_python" = 1 ] || exit 0

# --- Python virtual environments -------------------------------------------------------
# One environment per file scripts/requirements/<name>.txt, at $cache/venv-<name>. A stamp
# holding the file's checksum makes a repeated run a no-op until the file changes.
"$python" -c 'import venv' 2>/dev/null || die "$python has no venv module (apt-get install python3-venv)"
failed=()
for req in "$here"/requirements/*.txt; do
  name="$(basename "$req" .txt)"
  venv="$cache/venv-$name"
  stamp="$venv/.fixnn-stamp"
  sum="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    say "python environment '$name': up to date ($venv)"
    continue
  fi
  # A requirements file may name the interpreter it needs: '# python: python3.11'
  py="$(sed -n 's/^# python: *//p' "$req" | head -n1)"
  py="${py:-$python}"
  say "python environment '$name': installing into $venv (first run takes minutes)"
  rm -f "$stamp"
  if ! { [ -x "$venv/bin/python" ] || "$py" -m venv "$venv"; }; then
    say "WARNING: cannot create $venv with $py"
    failed+=("$name")
    continue
  fi
  "$venv/bin/python" -m pip install -q --upgrade pip >"$venv/pip.log" 2>&1 || true
  if ! "$venv/bin/python" -m pip install -q -r "$req" >>"$venv/pip.log" 2>&1; then
    grep -E "No matching distribution|Could not find a version|ResolutionImpossible|ERROR" \
      "$venv/pip.log" | head -5 | sed 's/^/setup:   /' >&2 || true
    say "WARNING: pip could not install the packages of $req (log: $venv/pip.log)"
    failed+=("$name")
    continue
  fi
  echo "$sum" > "$stamp"
done
if [ ${#failed[@]} -gt 0 ]; then
  # The tests that need these environments report SKIPPED with the reason; the rest run.
  say "WARNING: python environments not ready: ${failed[*]}; their tests will be skipped"
  [ "${FIXNN_STRICT_SETUP:-0}" = 1 ] && die "FIXNN_STRICT_SETUP=1 and setup is incomplete"
fi
say "done"
