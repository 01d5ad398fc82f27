"""Typed settings from `config.toml`, a profile overlay and environment variables.

Precedence (later wins): defaults in this module < `config.toml` < the
selected profile's table `[profiles.<name>]` in the same file < environment
variables. Unknown keys are errors everywhere.

Environment variables: `PROTOKOLL_PROFILE=gpu` selects a profile;
`PROTOKOLL_<SECTION>__<KEY>=value` sets one value, e.g.
`PROTOKOLL_TRANSCRIPTION__DEVICE=cuda` or `PROTOKOLL_DIARIZATION__MAX_SPEAKERS=12`.
Values are parsed as TOML literals where possible (numbers, booleans, arrays),
otherwise taken as strings.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from protokoll.errors import ConfigError

ENV_PREFIX = "PROTOKOLL_"
DEFAULT_CONFIG_FILE = "config.toml"

Device = Literal["auto", "cpu", "cuda"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelsSettings(_Section):
    dir: Path = Path("models")
    manifest: Path = Path("models/manifest.toml")


class IntakeSettings(_Section):
    max_duration_h: float = Field(8.0, gt=0)
    max_size_gb: float = Field(20.0, gt=0)
    # A recording whose loudest second stays below this level counts as silent.
    silence_threshold_dbfs: float = Field(-55.0, le=0)


class TranscriptionSettings(_Section):
    model: str = "whisper-base"
    device: Device = "auto"
    compute_type: Literal["auto", "int8", "int8_float16", "float16", "float32"] = "auto"
    language: str = "de"
    beam_size: int = Field(5, ge=1, le=10)
    # 0 = sequential faster-whisper; >0 = BatchedInferencePipeline with this batch size
    batch_size: int = Field(8, ge=0, le=64)
    vad: bool = True
    word_timestamps: bool = True
    condition_on_previous_text: bool = False
    vocabulary: list[str] = Field(default_factory=list)
    cpu_threads: int = Field(0, ge=0)


class DiarizationSettings(_Section):
    backend: Literal["pyannote", "none"] = "pyannote"
    # "embedded": pyannote's pipeline with segmentation-3.0 and CAM++ (registry weights);
    # "pretrained": a complete pyannote pipeline directory such as community-1.
    pipeline: Literal["embedded", "pretrained"] = "embedded"
    segmentation_model: str = "pyannote-segmentation-3.0"
    embedding_model: str = "campplus-zh-en-common"
    pretrained_model: str = "pyannote-speaker-diarization-community-1"
    device: Device = "auto"
    min_speakers: int | None = Field(None, ge=1, le=100)
    max_speakers: int | None = Field(None, ge=1, le=100)
    clustering_threshold: float = Field(0.75, gt=0, lt=2)
    min_cluster_size: int = Field(8, ge=1, le=50)
    # sliding-window step as a share of the 10 s segmentation window (pyannote's default: 0.1)
    segmentation_step: float = Field(0.2, gt=0, le=1)
    embedding_batch_size: int = Field(16, ge=1)
    segmentation_batch_size: int = Field(16, ge=1)

    @model_validator(mode="after")
    def _bounds(self) -> DiarizationSettings:
        if self.min_speakers and self.max_speakers and self.min_speakers > self.max_speakers:
            raise ValueError("min_speakers ist größer als max_speakers")
        return self


class AssignmentSettings(_Section):
    # a word outside every speaker turn takes the nearest turn within this distance
    max_gap_s: float = Field(1.0, ge=0)


class OutputSettings(_Section):
    dir: Path = Path("out")
    low_confidence_threshold: float = Field(0.5, ge=0, le=1)


class Settings(_Section):
    profile: str = "cpu"
    models: ModelsSettings = ModelsSettings()
    intake: IntakeSettings = IntakeSettings()
    transcription: TranscriptionSettings = TranscriptionSettings()
    diarization: DiarizationSettings = DiarizationSettings()
    assignment: AssignmentSettings = AssignmentSettings()
    output: OutputSettings = OutputSettings()


def _deep_merge(base: dict[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _parse_env_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name == ENV_PREFIX + "CONFIG":
            continue
        path = name[len(ENV_PREFIX) :].lower().split("__")
        node = overrides
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = _parse_env_value(raw)
    return overrides


def _format_validation_error(exc: ValidationError, source: str) -> str:
    problems = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            problems.append(f"unbekannter Schlüssel „{where}“")
        else:
            problems.append(f"„{where}“: {err['msg']}")
    return f"Ungültige Konfiguration in {source}: " + "; ".join(problems)


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings; `path=None` uses `$PROTOKOLL_CONFIG` or ./config.toml if present."""
    environ = os.environ if environ is None else environ
    if path is None:
        env_path = environ.get(ENV_PREFIX + "CONFIG")
        path = Path(env_path) if env_path else Path(DEFAULT_CONFIG_FILE)
        if not path.exists() and not env_path:
            path = None
    data: dict[str, Any] = {}
    source = "den Umgebungsvariablen"
    if path is not None:
        source = str(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"Konfigurationsdatei {path} nicht gefunden.") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"Konfigurationsdatei {path} ist kein gültiges TOML: {exc}") from None

    env = _env_overrides(environ)
    profiles = data.pop("profiles", {})
    profile = env.get("profile", data.get("profile", "cpu"))
    if profile != "cpu" or profile in profiles:
        if profile not in profiles:
            known = ", ".join(sorted(profiles)) or "keine"
            raise ConfigError(
                f"Profil „{profile}“ ist in {source} nicht definiert (vorhanden: {known})."
            )
        data = _deep_merge(data, profiles[profile])
    data = _deep_merge(data, env)
    data["profile"] = profile
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc, source)) from None
