"""Errors meant for the user.

Every error that a Schriftführer or operator may see derives from
`ProtokollError`. Its message is German, says what is wrong and what to do,
and is shown by the CLI (and later the web service) as one line, without a
traceback. Everything else is a bug and is reported as such.

Hierarchy::

    ProtokollError
    ├── ConfigError          config.toml or environment variables are invalid
    ├── InputError           the uploaded recording or agenda cannot be used
    │   ├── NotAudioError    the file holds no audio stream (or is no media file)
    │   ├── EmptyInputError  the file is empty or has no audio samples
    │   ├── CorruptAudioError the file is truncated or damaged
    │   └── SilentAudioError the recording contains no audible signal
    ├── AgendaError          the agenda file is malformed
    ├── ModelError           a model is missing, corrupted or cannot be loaded
    ├── StageError           a processing stage failed for another reason
    └── SubmitError          the service refused a recording sent by `protokoll batch --submit`
"""

from __future__ import annotations


class ProtokollError(Exception):
    """Base class for errors whose message is meant for the user (German)."""

    exit_code = 1


class ConfigError(ProtokollError):
    exit_code = 2


class InputError(ProtokollError):
    exit_code = 3


class NotAudioError(InputError):
    pass


class EmptyInputError(InputError):
    pass


class CorruptAudioError(InputError):
    pass


class SilentAudioError(InputError):
    pass


class AgendaError(ProtokollError):
    exit_code = 4


class ModelError(ProtokollError):
    exit_code = 5


class StageError(ProtokollError):
    exit_code = 6


class SubmitError(ProtokollError):
    pass
