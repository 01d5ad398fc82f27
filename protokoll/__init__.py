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
