#!/usr/bin/env bash
# Runs hls4ml_differences.py in the Keras 3 environment; exit 77 (skipped) without it.
set -u
python="${FIXNN_CACHE:-$HOME/.cache/fixnn}/venv-keras3/bin/python"
if [ ! -x "$python" ]; then
  echo "skipped: no $python (run scripts/setup.sh)"
  exit 77
fi
exec "$python" "$(dirname "$0")/hls4ml_differences.py" "$@"
