"""The writer tests' fixtures: a small German council transcript and its minutes."""

from tests.support.builders import minutes, non_public_secrets, speaker_names, transcript

__all__ = ["minutes", "non_public_secrets", "speaker_names", "transcript"]
