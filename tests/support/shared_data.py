"""Where the project's shared evaluation data lies (FLEURS clips, OParl spec files).

`$PROTOKOLL_SHARED_DATA` wins; otherwise `../shared/data` beside the checkout,
then the workplace's `/work/shared/data`. Tests that need the data skip with
the path they looked in when none exists.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def shared_data(name: str, env: str | None = None) -> Path:
    if env and os.environ.get(env):
        return Path(os.environ[env])
    candidates = (
        [Path(os.environ["PROTOKOLL_SHARED_DATA"])] if "PROTOKOLL_SHARED_DATA" in os.environ else []
    )
    candidates += [ROOT.parent / "shared" / "data", Path("/work/shared/data")]
    for base in candidates:
        if (base / name).is_dir():
            return base / name
    return candidates[0] / name
