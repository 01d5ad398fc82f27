"""Choosing CPU or CUDA: `auto` means CUDA where a GPU is present, else CPU."""

from __future__ import annotations

import contextlib
import gc
import os
import sys


def cuda_available() -> bool:
    """True if CTranslate2 (and so faster-whisper) sees a CUDA device."""
    try:
        # lazy: CTranslate2 (the recogniser's runtime) is only asked for CUDA devices here
        import ctranslate2
    except ImportError:  # pragma: no cover - ctranslate2 is a hard dependency
        return False
    return bool(ctranslate2.get_cuda_device_count() > 0)


def resolve_device(setting: str) -> str:
    if setting == "auto":
        return "cuda" if cuda_available() else "cpu"
    return setting


def resolve_compute_type(setting: str, device: str) -> str:
    if setting != "auto":
        return setting
    return "float16" if device == "cuda" else "int8"


def cpu_threads(setting: int) -> int:
    """Threads for CPU inference: the configured number, else all cores this process may use."""
    if setting > 0:
        return setting
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


def release_memory() -> None:
    """After a stage or block: collect garbage, return freed heap pages to the system
    (glibc keeps them otherwise, so the resident size creeps up block by block), and
    give cached CUDA memory back for the next stage."""
    # lazy: ctypes and libc are only needed to hand freed memory back to the system
    import ctypes

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    torch = sys.modules.get("torch")  # only where torch is already loaded
    if torch is not None and torch.cuda.is_available():
        torch.cuda.empty_cache()


def resident_mb() -> float | None:
    """This process's resident memory in MB (Linux: /proc/self/statm); None where unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def cuda_free_mb() -> float | None:
    """Free memory of the current CUDA device in MB (all processes' use counted); None
    without CUDA."""
    if not cuda_available():
        return None
    # lazy: torch is asked only where there is a GPU (the diarization stage loads it anyway)
    import torch

    if not torch.cuda.is_available():
        return None
    free, _total = torch.cuda.mem_get_info()
    return float(free) / 2**20
