"""What the minutes of the bundled sample must say (from samples/sitzung.reference.json)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = json.loads((ROOT / "samples" / "sitzung.reference.json").read_text(encoding="utf-8"))
BOUNDARY_TOLERANCE_S = 1.0

# expected per TOP: result and counts (None = not said, must stay empty)
EXPECTED = {
    "1": ("einstimmig beschlossen", (None, 0, 0, None)),
    "2": ("mehrheitlich beschlossen", (14, 3, 2, None)),
    "3": ("vertagt", (None, 0, 0, None)),
    "4": ("einstimmig beschlossen", (None, 0, 0, None)),
}
BOUNDARIES = {b["item"]: b["start_s"] for b in REFERENCE["agenda_boundaries"]}
