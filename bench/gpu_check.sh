#!/usr/bin/env bash
# The production profile on one GPU machine without network (issue #21).
#
# Here, once (writes .gpucheck/ and .whl/, both git-ignored, and checks the 64 MiB limit):
#   bench/gpu_check.sh prepare
# On the GPU machine, carrying .gpucheck and .whl (device tool: carry [".gpucheck", ".whl"]):
#   bench/gpu_check.sh run [--minutes 60]
# Anywhere, on CPU with tiny models (what CI runs):
#   bench/gpu_check.sh run --dry-run
set -euo pipefail
cd "$(dirname "$0")/.."

command=${1:-run}
shift || true
case "$command" in
  prepare)
    PY=${PY:-.venv/bin/python}
    "$PY" bench/gpu_check.py prepare
    ;;
  run)
    PY=${PY:-python3}
    [ -x .venv/bin/python ] && [ "$PY" = python3 ] && PY=.venv/bin/python
    # the carried wheels are for the GPU machine's Python 3.12 (prepare downloads them so);
    # they go beside the machine's own packages, never over them
    if compgen -G ".whl/*.whl" >/dev/null \
       && "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))'; then
      "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir \
        --upgrade --target /tmp/gpu-check-site .whl/*.whl
      export PYTHONPATH="/tmp/gpu-check-site:$PWD${PYTHONPATH:+:$PYTHONPATH}"
    fi
    out=${OUT:-out}/gpu-check.json
    PYTHONUNBUFFERED=1 "$PY" bench/gpu_check.py run --out "$out" "$@"
    ;;
  *)
    echo "Aufruf: bench/gpu_check.sh prepare | run [--dry-run] [--minutes N]" >&2
    exit 2
    ;;
esac
