"""protokoll: on-premise draft minutes (Niederschrift) from council-session recordings."""

import os as _os

__version__ = "0.1.0"

# Nothing leaves the server: pyannote.audio 4 reports usage to its vendor unless told
# not to, and Hugging Face libraries would look for models online. Both are switched
# off before any of them is imported; this is not configurable on purpose.
_os.environ["PYANNOTE_METRICS_ENABLED"] = "false"
_os.environ["HF_HUB_OFFLINE"] = "1"
_os.environ["TRANSFORMERS_OFFLINE"] = "1"
_os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"

# PyTorch's CPU convolutions (oneDNN) cache one compiled primitive per layer and
# input shape, 1024 by default. The speaker embeddings alone need about 3,000
# (CAM++ at some 40 input lengths), so with the default the cache thrashed: primitives
# were rebuilt all the time, which made the diarization about a fifth slower and its
# resident size creep up. Read when oneDNN first runs, so it must be set here;
# an operator's own value wins.
_os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "8192")
