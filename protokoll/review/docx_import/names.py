"""Speaker names in edited text turned back into speaker labels ("SPEAKER_03"), so that
texts stay symbolic and a renamed speaker changes everywhere (`protokoll.domain.speakers`)."""

from __future__ import annotations

from protokoll.domain.speakers import SpeakerNames as Names

__all__ = ["Names"]
