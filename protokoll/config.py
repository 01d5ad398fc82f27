"""Typed settings from `config.toml`, a profile overlay and environment variables.

Precedence (later wins): defaults in this module < `config.toml` < the
selected profile's table `[profiles.<name>]` in the same file < environment
variables. Unknown keys are errors everywhere.

Environment variables: `PROTOKOLL_PROFILE=gpu` selects a profile;
`PROTOKOLL_<SECTION>__<KEY>=value` sets one value, e.g.
`PROTOKOLL_TRANSCRIPTION__DEVICE=cuda` or `PROTOKOLL_DIARIZATION__MAX_SPEAKERS=12`.
`PROTOKOLL_CONFIG` names the configuration file. Other `PROTOKOLL_*` variables
without `__` (such as `PROTOKOLL_FLEURS_DIR` for the benchmarks) are no settings
and are ignored; a `__` variable whose section or key is unknown is an error.
Values for text and path settings are taken verbatim; all others are parsed
as TOML literals where possible (numbers, booleans, arrays such as
`["Lindenweg", "Mühlbach"]`), otherwise taken as strings.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from protokoll.errors import ConfigError

ENV_PREFIX = "PROTOKOLL_"
TEXT_LANGUAGES = ("nld", "eng")  # ISO 639-3, as the registers write them

# the German values of the AI-register settings (mapped per register target in
# protokoll.register.vocabularies)
Status = Literal["in Entwicklung", "in Erprobung", "in Betrieb", "außer Betrieb"]
PublicationCategory = Literal[
    "Hochrisiko-KI-System", "Algorithmus mit Auswirkungen", "Sonstiger Algorithmus"
]
Region = Literal["England", "Scotland", "Wales", "Northern Ireland", "UK-wide", "International"]
THEMES = (
    "Organisation und Verwaltung", "Kultur und Freizeit", "Wirtschaft", "Öffentliche Finanzen",
    "Wohnen", "Internationales", "Migration und Integration", "Natur und Umwelt",
    "Bildung und Wissenschaft", "Öffentliche Ordnung und Sicherheit", "Recht",
    "Raum und Infrastruktur", "Soziale Sicherung", "Verkehr", "Arbeit", "Gesundheit und Pflege",
)  # fmt: skip
DEFAULT_CONFIG_FILE = "config.toml"

Device = Literal["auto", "cpu", "cuda"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelsSettings(_Section):
    dir: Path = Path("models")
    manifest: Path = Path("models/manifest.toml")


class IntakeSettings(_Section):
    max_duration_h: float = Field(default=8.0, gt=0)
    max_size_gb: float = Field(default=20.0, gt=0)
    # A recording whose loudest second stays below this level counts as silent.
    silence_threshold_dbfs: float = Field(default=-55.0, le=0)


class TranscriptionSettings(_Section):
    model: str = "whisper-base"
    device: Device = "auto"
    compute_type: Literal["auto", "int8", "int8_float16", "float16", "float32"] = "auto"
    language: str = "de"
    beam_size: int = Field(default=3, ge=1, le=10)
    # 0 = sequential faster-whisper; >0 = BatchedInferencePipeline with this batch size
    batch_size: int = Field(default=4, ge=0, le=64)
    vad: bool = True
    word_timestamps: bool = True
    condition_on_previous_text: bool = False
    vocabulary: list[str] = Field(default_factory=list)
    cpu_threads: int = Field(default=0, ge=0)
    # the recording is transcribed in blocks of this length, cut in pauses: memory stays flat
    block_minutes: float = Field(default=10.0, ge=0.5, le=120)
    # tokens decoded per 30-s window at most (0 = the model's limit of 448); benchmarks
    # with random weights set it, so their decoding costs what real speech would
    max_new_tokens: int = Field(default=0, ge=0, le=440)


class ClusteringSettings(_Section):
    """protokoll's speaker clustering (`speakers/clustering.py`); thresholds for CAM++."""

    threshold: float = Field(default=0.45, gt=0, lt=2)
    join_distance: float = Field(default=0.4, ge=0, lt=2)
    merge_distance: float = Field(default=0.30, ge=0, lt=2)
    min_speaker_speech_s: float = Field(default=16.0, ge=0)
    min_embedding_speech_s: float = Field(default=1.0, ge=0)
    min_own_speech_s: float = Field(default=6.0, ge=0)


class DiarizationSettings(_Section):
    backend: Literal["pyannote", "none"] = "pyannote"
    # "embedded": pyannote's pipeline with segmentation-3.0 and CAM++ (registry weights);
    # "pretrained": a complete pyannote pipeline directory such as community-1.
    pipeline: Literal["embedded", "pretrained"] = "embedded"
    segmentation_model: str = "pyannote-segmentation-3.0"
    embedding_model: str = "campplus-zh-en-common"
    pretrained_model: str = "pyannote-speaker-diarization-community-1"
    device: Device = "auto"
    min_speakers: int | None = Field(default=None, ge=1, le=100)
    max_speakers: int | None = Field(default=None, ge=1, le=100)
    # "protokoll": speaker clustering weighted by clean speech (`clustering` below);
    # "pyannote": the pipeline's own (agglomerative for "embedded", VBx for "pretrained")
    clustering_method: Literal["protokoll", "pyannote"] = "protokoll"
    clustering: ClusteringSettings = Field(default_factory=ClusteringSettings)
    # the pipeline's own agglomerative clustering (clustering_method = "pyannote", embedded)
    clustering_threshold: float = Field(default=0.75, gt=0, lt=2)
    min_cluster_size: int = Field(default=8, ge=1, le=50)
    # sliding-window step as a share of the 10 s segmentation window (pyannote's default: 0.1)
    segmentation_step: float = Field(default=0.4, gt=0, le=1)
    # with clustering_method = "protokoll": log-probability taken from segmentation-3.0's
    # "nobody speaks" class before its decision, so quiet far seats are heard as speech
    # (protokoll/speakers/speech_bias.py); off by default: it hears music as a speaker
    # and costs time (docs/speakers.md)
    speech_bias: float = Field(default=0.0, ge=0, le=5)
    # and a local speaker's track cut at its pauses of at least this many seconds, each
    # piece with its own embedding (protokoll/speakers/local_split.py): keeps alike
    # voices that follow each other apart (docs/speakers.md); 0 switches it off
    split_pause_s: float = Field(default=0.3, ge=0, le=5)
    # with clustering_method = "protokoll": a local speaker's speech in a window is embedded
    # from its middle, at most this long (0: all of it); CAM++'s time grows with the length
    embedding_max_s: float = Field(default=0.0, ge=0, le=10)
    # with clustering_method = "protokoll": a frame half of whose windows hear speech is
    # speech (pyannote rounds such a tie to silence); protokoll/speakers/blocks.py
    count_ties_up: bool = True
    # with clustering_method = "protokoll": a second speaker counts only where the windows'
    # mean count reaches two (pyannote rounds 1.5 to two); protokoll/speakers/blocks.py
    count_overlap_down: bool = True
    embedding_batch_size: int = Field(default=16, ge=1)
    segmentation_batch_size: int = Field(default=16, ge=1)
    # segmentation and embeddings run per block of this length; one clustering over all
    # blocks gives the speakers their labels, so they stay the same from start to end
    block_minutes: float = Field(default=10.0, ge=1, le=120)
    # most speaker embeddings the clustering sees (a time-even subset on longer sessions)
    max_clustering_chunks: int = Field(default=1000, ge=100, le=50000)

    @model_validator(mode="after")
    def _bounds(self) -> DiarizationSettings:
        low, high = self.min_speakers, self.max_speakers
        if low is not None and high is not None and low > high:
            raise ValueError(f"min_speakers ({low}) ist größer als max_speakers ({high})")
        return self


class AssignmentSettings(_Section):
    # a word outside every speaker turn takes the nearest turn within this distance
    max_gap_s: float = Field(default=1.0, ge=0)


class OutputSettings(_Section):
    dir: Path = Path("out")
    low_confidence_threshold: float = Field(default=0.5, ge=0, le=1)


class LLMSettings(_Section):
    # llamacpp: embedded GGUF on CPU; transformers: GPU models; openai: a central
    # OpenAI-compatible server (vLLM, llama.cpp server, ...); none: rules only
    backend: Literal["llamacpp", "transformers", "openai", "none"] = "llamacpp"
    model: str = "qwen2.5-coder-1.5b-instruct-q4km"
    device: Device = "auto"
    context_tokens: int = Field(default=8192, ge=1024)
    max_output_tokens: int = Field(default=700, ge=16)
    temperature: float = Field(default=0.0, ge=0, le=2)
    seed: int = 0
    threads: int = Field(default=0, ge=0)
    base_url: str = ""  # openai backend, e.g. http://llm.kreis.local:8000/v1
    api_model: str = ""  # model name the server expects
    api_key_env: str = "PROTOKOLL_LLM_API_KEY"  # the key is read from this variable
    timeout_s: float = Field(default=300.0, gt=0)


class MinutesSettings(_Section):
    enabled: bool = True  # write minutes whenever an agenda is given
    # verlauf: course of debate in indirect speech; ergebnis: results only; wort: verbatim
    protocol_type: Literal["verlauf", "ergebnis", "wort"] = "verlauf"
    template: Path | None = None  # the municipality's DOCX template (letterhead, styles)
    recorder: str = ""  # name of the Schriftführer(in) for the signature line
    public_version: bool = True  # also write the public version without non-public items


class ServiceSettings(_Section):
    """The web service and its workers (`protokoll serve`, `protokoll worker`)."""

    # lokal: one machine; on first start an admin with a random one-time password is created.
    # produktion: no account is ever created by itself (`protokoll users add`), and cookies
    # are sent over HTTPS only (run it behind a TLS-terminating reverse proxy)
    mode: Literal["lokal", "produktion"] = "lokal"
    data_dir: Path = Path("data")  # recordings, checkpoints, outputs, the SQLite files
    # SQLAlchemy URL; empty = SQLite in data_dir. PostgreSQL: postgresql+psycopg://u@host/db
    database_url: str = ""
    # queue engine (huey): sqlite (one machine), redis (several machines), memory (tests)
    queue: Literal["sqlite", "redis", "memory"] = "sqlite"
    queue_url: str = ""  # redis://host:6379/0 for queue = "redis"
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    session_hours: float = Field(default=10.0, gt=0)
    upload_chunk_mb: int = Field(default=8, ge=1, le=256)
    upload_expiry_h: float = Field(default=48.0, gt=0)  # unfinished uploads are removed
    agenda_max_mb: float = Field(default=10.0, gt=0)
    worker_lease_s: float = Field(default=60.0, ge=5)  # a job whose worker is silent longer
    # is taken over by another worker; a running job stores progress and renews its lease
    heartbeat_s: float = Field(default=1.0, gt=0)  # this often
    # /metrics (Prometheus): with a token, for `Authorization: Bearer <token>` from anywhere;
    # without, only from the server itself (not through a proxy)
    metrics_token: str = ""
    # a transient fault in a job (a database or server connection lost, a timeout) queues
    # it again after retry_backoff_s, doubling each time, up to job_retries times
    job_retries: int = Field(default=3, ge=0, le=20)
    retry_backoff_s: float = Field(default=30.0, gt=0)
    # a worker keeps its models loaded from one job to the next (`protokoll.pipeline.warm`),
    # within model_memory_mb of resident memory (0: no limit; models not needed next go
    # first); on a GPU a stage's model loads only with gpu_headroom_mb free beside it, else
    # the models it does not need are let go first
    keep_models: bool = True
    model_memory_mb: int = Field(default=0, ge=0)
    gpu_headroom_mb: int = Field(default=1024, ge=0)
    # serve and worker log as text, or as one JSON object per line for a log collector
    log_format: Literal["text", "json"] = "text"
    login_max_failures: int = Field(default=5, ge=1)  # then the account waits
    login_lockout_s: float = Field(default=300.0, ge=0)
    # agendas are fetched from public https servers only; hosts of the own network that may
    # be fetched as well (the council information system on the intranet): exact names
    agenda_allowed_hosts: list[str] = Field(default_factory=list)
    # the audit chain's key and anchors, outside the database (default: in data_dir; on
    # another volume or host they also hold against someone who can change data_dir)
    audit_key_file: Path | None = None
    audit_anchor_file: Path | None = None


class OParlSettings(_Section):
    """The read-only OParl 1.1 interface for published minutes (issue #19); its ids lie under
    [review] public_base_url. Empty texts fall back to the [ai_register] entry."""

    body_name: str = ""  # the municipality (OParl Body), "Gemeinde Musterstadt"
    body_short_name: str = ""  # "Musterstadt"
    website: str = ""  # the municipality's web site
    contact_email: str = ""  # who answers questions about the interface
    contact_name: str = ""
    license: str = ""  # URL of the licence of the published minutes (dl-de/by-2-0, CC BY 4.0)
    page_size: int = Field(default=100, ge=1, le=1000)  # list entries per page at most

    @model_validator(mode="after")
    def _urls(self) -> OParlSettings:
        for name in ("website", "license"):
            value = getattr(self, name).strip()
            if value and not value.lower().startswith(("http://", "https://")):
                raise ValueError(f"{name} muss eine http- oder https-Adresse sein: {value}")
        return self


DeleteRecording = Literal["veroeffentlichung", "nie"]
# the key before issue #17, when approval deleted the recording; still read (see below)
LEGACY_DELETE_KEY = "delete_recording_on_approval"


class ReviewSettings(_Section):
    """Review and publication of the minutes (issues #5, #17).

    ``delete_recording``: "veroeffentlichung" deletes the recording when the minutes are
    published, "nie" leaves it to the retention period (or to a person). Approval never
    deletes it: a draft returned after approval is still checked against the audio.
    The old key ``delete_recording_on_approval`` is still read: true means
    "veroeffentlichung", false "nie"; both keys at once are an error.
    """

    four_eyes: bool = False  # approval by two different reviewers
    delete_recording: DeleteRecording = "veroeffentlichung"
    recording_retention_days: int = Field(default=90, ge=0)  # 0: no time limit
    public_base_url: str = ""  # where published documents are reachable (OParl export ids)

    @model_validator(mode="before")
    @classmethod
    def _legacy_delete_key(cls, data: Any) -> Any:
        if not isinstance(data, Mapping) or LEGACY_DELETE_KEY not in data:
            return data
        data = dict(data)
        old = data.pop(LEGACY_DELETE_KEY)
        if "delete_recording" in data:
            raise ValueError(
                f"{LEGACY_DELETE_KEY} gibt es nicht mehr; bitte nur delete_recording "
                '("veroeffentlichung" oder "nie") angeben und die alte Zeile löschen'
            )
        if isinstance(old, str):
            old = {"true": True, "false": False}.get(old.strip().lower(), old)
        if not isinstance(old, bool):
            raise ValueError(
                f'{LEGACY_DELETE_KEY} ist ersetzt durch delete_recording = "veroeffentlichung" '
                'oder "nie"; bitte den neuen Schlüssel angeben'
            )
        data["delete_recording"] = "veroeffentlichung" if old else "nie"
        return data


class RegisterSettings(_Section):
    """What the AI-register entry says about the municipality's use of protokoll."""

    organization: str = ""  # "Gemeinde Musterstadt"
    department: str = ""  # "Büro des Rates"
    contact_email: str = ""
    website: str = ""
    purpose: str = (
        "Entwürfe der Niederschriften von Rats- und Ausschusssitzungen aus dem Mitschnitt "
        "erstellen; die Schriftführung prüft, ändert und gibt sie frei."
    )
    legal_basis: str = ""  # e.g. "§ 52 GO NRW; Geschäftsordnung des Rates § 24"
    dpia_url: str = ""  # the data protection impact assessment (DSFA)
    status: Status = "in Betrieb"
    begin_date: str = ""  # ISO date the system went into use
    # mapped onto each register's own list (protokoll.register.vocabularies)
    themes: tuple[str, ...] = ("Organisation und Verwaltung",)
    publication_category: PublicationCategory = "Sonstiger Algorithmus"
    region: Region = "International"  # ATRS: where the tool affects the public
    # texts per register language ("nld", "eng"), keyed by the target's field name;
    # they replace protokoll's built-in text for that field (protokoll.register.texts)
    texts: dict[str, dict[str, str]] = {}

    @model_validator(mode="after")
    def _known_values(self) -> RegisterSettings:
        unknown = [t for t in self.themes if t not in THEMES]
        if unknown:
            raise ValueError(
                f"themes: unbekanntes Thema {', '.join(unknown)}; erlaubt: {', '.join(THEMES)}"
            )
        if not self.themes:
            raise ValueError("themes: mindestens ein Thema angeben")
        languages = sorted(set(self.texts) - set(TEXT_LANGUAGES))
        if languages:
            raise ValueError(
                f"texts: unbekannte Sprache {', '.join(languages)}; erlaubt: "
                f"{', '.join(TEXT_LANGUAGES)}"
            )
        return self


class Settings(_Section):
    profile: str = "cpu"
    models: ModelsSettings = ModelsSettings()
    intake: IntakeSettings = IntakeSettings()
    transcription: TranscriptionSettings = TranscriptionSettings()
    diarization: DiarizationSettings = DiarizationSettings()
    assignment: AssignmentSettings = AssignmentSettings()
    output: OutputSettings = OutputSettings()
    llm: LLMSettings = LLMSettings()
    minutes: MinutesSettings = MinutesSettings()
    service: ServiceSettings = ServiceSettings()
    oparl: OParlSettings = OParlSettings()
    review: ReviewSettings = ReviewSettings()
    ai_register: RegisterSettings = RegisterSettings()


def _deep_merge(base: dict[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


# ---- German messages for validation errors (shared with the agenda) -------------------------

_SIMPLE_MESSAGES = {
    "missing": "fehlt",
    "string_type": "Text erwartet",
    "string_too_short": "darf nicht leer sein",
    "int_type": "ganze Zahl erwartet",
    "int_parsing": "ganze Zahl erwartet",
    "int_from_float": "ganze Zahl erwartet",
    "float_type": "Zahl erwartet",
    "float_parsing": "Zahl erwartet",
    "bool_type": "true oder false erwartet",
    "bool_parsing": "true oder false erwartet",
    "list_type": "Liste erwartet",
    "dict_type": "Tabelle erwartet",
    "model_type": "Tabelle erwartet",
    "model_attributes_type": "Tabelle erwartet",
    "path_type": "Pfad (Text) erwartet",
    "date_type": "gültiges Datum im Format JJJJ-MM-TT erwartet",
    "date_parsing": "gültiges Datum im Format JJJJ-MM-TT erwartet",
    "date_from_datetime_parsing": "gültiges Datum im Format JJJJ-MM-TT erwartet",
    "date_from_datetime_inexact": "Datum ohne Uhrzeit im Format JJJJ-MM-TT erwartet",
}

_BOUND_MESSAGES = {
    "greater_than": ("gt", "muss größer als {} sein"),
    "greater_than_equal": ("ge", "muss mindestens {} sein"),
    "less_than": ("lt", "muss kleiner als {} sein"),
    "less_than_equal": ("le", "darf höchstens {} sein"),
}


def _show_input(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validation_message(err: Mapping[str, Any]) -> str:
    """One pydantic error (from `ValidationError.errors()`) as a short German phrase."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in _SIMPLE_MESSAGES:
        message = _SIMPLE_MESSAGES[kind]
    elif kind in _BOUND_MESSAGES and _BOUND_MESSAGES[kind][0] in ctx:
        key, template = _BOUND_MESSAGES[kind]
        message = template.format(ctx[key])
    elif kind == "literal_error" and "expected" in ctx:
        message = "erlaubt sind " + str(ctx["expected"]).replace(" or ", " oder ")
    elif kind in ("value_error", "assertion_error") and "error" in ctx:
        message = str(ctx["error"])
    else:
        message = str(err.get("msg", kind))
    if kind != "missing" and "input" in err and not isinstance(err["input"], dict | list):
        message += f" (angegeben: {_show_input(err['input'])})"
    return message


def _model_at(model: type[BaseModel], loc: Sequence[object]) -> type[BaseModel] | None:
    """The settings class at `loc` (a path of field names), if there is one."""
    current: type[BaseModel] = model
    for part in loc:
        info = current.model_fields.get(str(part))
        annotation = info.annotation if info else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        current = annotation
    return current


def allowed_keys(model: type[BaseModel], loc: Sequence[object]) -> list[str]:
    """The field names allowed at `loc`; empty where `loc` names no table."""
    found = _model_at(model, loc)
    return list(found.model_fields) if found else []


# ---- environment variables -------------------------------------------------------------------


def _is_text_field(loc: Sequence[str]) -> bool:
    """Whether the setting at `loc` takes text (str, Path or a choice of words)."""
    section = _model_at(Settings, loc[:-1])
    info = section.model_fields.get(loc[-1]) if section else None
    if info is None:
        return False
    annotation = info.annotation
    if annotation in (str, Path):
        return True
    if get_origin(annotation) is Literal:
        return all(isinstance(arg, str) for arg in get_args(annotation))
    return False


def _parse_env_value(raw: str, loc: Sequence[str] = ()) -> Any:
    if loc and _is_text_field(loc):
        return raw
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _env_overrides(environ: Mapping[str, str]) -> tuple[dict[str, Any], dict[tuple[str, ...], str]]:
    """Settings from `PROTOKOLL_*` variables, and which variable set which path."""
    overrides: dict[str, Any] = {}
    origins: dict[tuple[str, ...], str] = {}
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX) or name == ENV_PREFIX + "CONFIG":
            continue
        rest = name[len(ENV_PREFIX) :].lower()
        if "__" not in rest and rest not in Settings.model_fields:
            continue  # e.g. PROTOKOLL_FLEURS_DIR: not a setting
        path = tuple(rest.split("__"))
        if not all(path):
            raise ConfigError(
                f"Umgebungsvariable {name}: erwartet wird PROTOKOLL_<ABSCHNITT>__<SCHLÜSSEL>, "
                "z. B. PROTOKOLL_TRANSCRIPTION__DEVICE."
            )
        node = overrides
        for depth, part in enumerate(path[:-1]):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                other = origins.get(path[: depth + 1], "?")
                raise ConfigError(f"Umgebungsvariablen {other} und {name} widersprechen sich.")
            node = child
        if isinstance(node.get(path[-1]), dict):
            raise ConfigError(
                f"Umgebungsvariable {name} ersetzt einen ganzen Abschnitt; "
                f"bitte einzelne Schlüssel setzen ({name}__<SCHLÜSSEL>)."
            )
        value = _parse_env_value(environ[name], path)
        if path == ("review", LEGACY_DELETE_KEY):  # the old key, read as the new one
            try:
                value = ReviewSettings.model_validate({LEGACY_DELETE_KEY: value}).delete_recording
            except ValidationError as exc:
                raise ConfigError(
                    f"Umgebungsvariable {name}: {validation_message(exc.errors()[0])}"
                ) from None
            path = ("review", "delete_recording")
        node[path[-1]] = value
        origins[path] = name
    return overrides, origins


def _has_path(data: Mapping[str, Any], loc: Sequence[object]) -> bool:
    node: Any = data
    for part in loc:
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def _format_validation_error(
    exc: ValidationError,
    source: str,
    env_origins: Mapping[tuple[str, ...], str] | None = None,
    profile_data: Mapping[str, Any] | None = None,
    profile: str = "",
) -> str:
    problems = []
    for err in exc.errors():
        loc = tuple(str(p) for p in err["loc"])
        where = ".".join(loc)
        if err["type"] == "extra_forbidden":
            problem = f"unbekannter Schlüssel „{where}“"
            allowed = allowed_keys(Settings, loc[:-1])
            if allowed:
                problem += f" (erlaubt: {', '.join(allowed)})"
        else:
            problem = f"„{where}“: {validation_message(err)}"
        origin = (env_origins or {}).get(loc)
        if origin:
            problem += f" – gesetzt durch die Umgebungsvariable {origin}"
        elif profile_data and _has_path(profile_data, loc):
            problem += f" – gesetzt im Profil [profiles.{profile}]"
        problems.append(problem)
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
    source = "den Standardwerten und Umgebungsvariablen"
    if path is not None:
        source = str(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise ConfigError(f"Konfigurationsdatei {path} nicht gefunden.") from None
        except UnicodeDecodeError:
            raise ConfigError(f"Konfigurationsdatei {path} ist keine UTF-8-Textdatei.") from None
        except OSError as exc:
            raise ConfigError(
                f"Konfigurationsdatei {path} kann nicht gelesen werden: {exc.strerror or exc}."
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"Konfigurationsdatei {path} ist kein gültiges TOML: {exc}") from None

    env, env_origins = _env_overrides(environ)
    profiles = data.pop("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(p, dict) for p in profiles.values()):
        raise ConfigError(
            f"Ungültige Konfiguration in {source}: „profiles“ muss aus Tabellen "
            "[profiles.<name>] bestehen."
        )
    profile = env.get("profile", data.get("profile", "cpu"))
    if not isinstance(profile, str):
        raise ConfigError(
            f"Ungültige Konfiguration in {source}: „profile“ muss ein Profilname (Text) sein."
        )
    profile_data: dict[str, Any] = {}
    if profile != "cpu" or profile in profiles:
        if profile not in profiles:
            known = ", ".join(sorted(profiles)) or "keine"
            raise ConfigError(
                f"Profil „{profile}“ ist in {source} nicht definiert (vorhanden: {known})."
            )
        profile_data = profiles[profile]
        data = _deep_merge(data, profile_data)
    data = _deep_merge(data, env)
    data["profile"] = profile
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        message = _format_validation_error(exc, source, env_origins, profile_data, profile)
        raise ConfigError(message) from None
