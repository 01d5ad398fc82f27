"""`protokoll batch`: every recording in a folder, one after the other, resumable.

Discovery: every file whose extension intake reads (`RECORDING_SUFFIXES`) in the folder and
its sub-folders, except partial or temporary names (`.part`, `.tmp`, `~`, dot-files) and
the output folder. A recording's agenda and member list are found beside it by name
(`sitzung.agenda.toml`, `sitzung.members.toml`, also `.tagesordnung.` / `.mitglieder.`), or
else one `agenda.*` / `tagesordnung.*` and `members.*` / `mitglieder.*` in its folder serves
every recording there. Its documents go to `<out>/<sub-folder>/<name without extension>/`.

Resume: each recording's output folder holds `batch-status.json`, what the last batch did
with it: status, the SHA-256 of the recording, agenda and member list, the outputs. A
recording that finished with the same files (and whose outputs are all still there) is
skipped; a changed recording, agenda or member list is processed again, and so is one
that failed (the reason may have been fixed).

A processor does the work for one recording: `LocalProcessor` runs the pipeline in this
process; `protokoll.pipeline.submit.SubmitProcessor` sends it to the service's queue. Each
recording's failure is recorded with its German reason and the batch goes on; the summary
(a German table and `batch-zusammenfassung.json`) says what became of each.

Watch mode polls the folder; a recording is taken once its size and modification time
have not changed for `settle_s` seconds, and again whenever it changes afterwards.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from protokoll.config import Settings
from protokoll.documents.artifacts import file_sha256
from protokoll.domain.agenda import Agenda
from protokoll.domain.progress import ProgressHook, null_hook
from protokoll.errors import ProtokollError
from protokoll.formatting import DASH, format_duration
from protokoll.pipeline.progress import TerminalProgress
from protokoll.pipeline.runner import Steps, run
from protokoll.pipeline.warm import WarmSteps

log = logging.getLogger(__name__)

# what intake reads (ffmpeg): audio files and the audio track of videos
RECORDING_SUFFIXES = (
    ".wav", ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".flac", ".wma",
    ".mp4", ".mkv", ".mov", ".webm",
)  # fmt: skip
AGENDA_KINDS = ("agenda", "tagesordnung")
AGENDA_SUFFIXES = (".toml", ".json", ".docx")
MEMBERS_KINDS = ("members", "mitglieder")
MEMBERS_SUFFIXES = (".toml", ".json")
# names of files still being written by a copy or download tool
PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".download")

MANIFEST = "batch-status.json"
SUMMARY = "batch-zusammenfassung.json"
EXIT_FAILED = 1  # some recording failed (ProtokollError's general code)

FINISHED, SKIPPED, FAILED, SUBMITTED, INTERRUPTED = (
    "finished", "skipped", "failed", "submitted", "interrupted",
)  # fmt: skip
LOCAL, SERVICE = "local", "service"
# the status a recording reaches in each mode, after which a later batch skips it
DONE_STATUS = {LOCAL: FINISHED, SERVICE: SUBMITTED}
SKIP_LABELS = {LOCAL: "übersprungen (schon fertig)", SERVICE: "übersprungen (schon eingereicht)"}
STATUS_LABELS = {
    FINISHED: "fertig", SUBMITTED: "eingereicht", FAILED: "fehlgeschlagen",
    INTERRUPTED: "abgebrochen",
}  # fmt: skip

AgendaLoader = Callable[[Path, Path | None], Agenda]


# ---- discovery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recording:
    path: Path
    name: str  # relative to the batch folder, with "/"
    out_dir: Path
    agenda: Path | None = None
    members: Path | None = None


def is_partial(name: str) -> bool:
    """Whether a file name looks like one still being written (or a hidden file)."""
    lower = name.lower()
    return name.startswith(".") or name.endswith("~") or lower.endswith(PARTIAL_SUFFIXES)


def is_recording_name(name: str) -> bool:
    return not is_partial(name) and name.lower().endswith(RECORDING_SUFFIXES)


def _companion(path: Path, kinds: tuple[str, ...], suffixes: tuple[str, ...]) -> Path | None:
    """`<stem>.<kind><suffix>` beside the recording, else `<kind><suffix>` in its folder."""
    for name in (f"{path.stem}.{kind}" for kind in kinds):
        for suffix in suffixes:
            if (found := path.with_name(name + suffix)).is_file():
                return found
    for kind in kinds:
        for suffix in suffixes:
            if (found := path.with_name(kind + suffix)).is_file():
                return found
    return None


def discover(folder: Path, out_root: Path) -> list[Recording]:
    """The recordings under `folder` (sorted by path), each with its agenda, member list
    and output folder."""
    out_resolved = out_root.resolve()
    paths = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts[:-1]):
            continue
        if not is_recording_name(path.name) or not path.is_file():
            continue
        if path.resolve().is_relative_to(out_resolved):
            continue
        paths.append((path, rel))
    stems: dict[tuple[Path, str], int] = {}
    for _, rel in paths:
        stems[rel.parent, rel.stem] = stems.get((rel.parent, rel.stem), 0) + 1
    found = []
    for path, rel in paths:
        # two recordings of the same name in one folder (a.ogg, a.wav) keep their extension
        leaf = rel.stem if stems[rel.parent, rel.stem] == 1 else rel.name.replace(".", "-")
        found.append(
            Recording(
                path=path,
                name=rel.as_posix(),
                out_dir=out_root / rel.parent / leaf,
                agenda=_companion(path, AGENDA_KINDS, AGENDA_SUFFIXES),
                members=_companion(path, MEMBERS_KINDS, MEMBERS_SUFFIXES),
            )
        )
    return found


# ---- the per-recording manifest --------------------------------------------------------------


def _sha256_or_none(path: Path | None) -> str | None:
    return file_sha256(path) if path is not None else None


def read_manifest(out_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _done_before(rec: Recording, mode: str) -> dict[str, Any] | None:
    """The manifest entry of this mode if it is done with the very same files, else None.
    The recording is hashed only when its size or modification time changed."""
    manifest = read_manifest(rec.out_dir)
    entry = manifest.get(mode)
    if not isinstance(entry, dict) or entry.get("status") != DONE_STATUS[mode]:
        return None
    try:
        stat = rec.path.stat()
    except OSError:
        return None
    same_stat = (entry.get("size"), entry.get("mtime_ns")) == (stat.st_size, stat.st_mtime_ns)
    if not same_stat and entry.get("recording_sha256") != file_sha256(rec.path):
        return None
    if entry.get("agenda_sha256") != _sha256_or_none(rec.agenda):
        return None
    if entry.get("members_sha256") != _sha256_or_none(rec.members):
        return None
    if not all((rec.out_dir / name).is_file() for name in entry.get("outputs", [])):
        return None
    if not same_stat:  # touched but unchanged: remember the new time, hash no more
        entry.update(size=stat.st_size, mtime_ns=stat.st_mtime_ns)
        _write_json(rec.out_dir / MANIFEST, manifest)
    return entry


# ---- processing one recording ----------------------------------------------------------------


@dataclass
class Done:
    """What a processor made of one recording."""

    duration_s: float | None = None
    outputs: list[Path] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # e.g. the service's job id


class Processor(Protocol):
    mode: str  # LOCAL or SERVICE

    def process(self, rec: Recording, hook: ProgressHook) -> Done: ...


def load_companions(rec: Recording, load_agenda: AgendaLoader) -> tuple[Agenda | None, list[str]]:
    """The recording's agenda (with its member list), and a hint for a member list that has
    no agenda to go with."""
    if rec.agenda is not None:
        return load_agenda(rec.agenda, rec.members), []
    if rec.members is not None:
        return None, [
            f"Die Mitgliederliste „{rec.members.name}“ wurde nicht verwendet: Zu dieser "
            "Aufnahme gibt es keine Tagesordnung."
        ]
    return None, []


class LocalProcessor:
    """The pipeline in this process, as `protokoll run` runs it; with `[service]
    keep_models` (the default) the models are loaded at the first recording and kept for
    the next ones, as a worker keeps them."""

    mode = LOCAL

    def __init__(
        self,
        settings: Settings,
        load_agenda: AgendaLoader,
        steps_for: Callable[[Agenda | None], Steps] | None = None,
    ) -> None:
        self.settings = settings
        self.load_agenda = load_agenda
        self.steps_for = steps_for  # None: the real models
        self._kept: WarmSteps | None = None

    def _steps(self, agenda: Agenda | None) -> Steps | None:
        if self.steps_for is not None:
            return self.steps_for(agenda)
        if not self.settings.service.keep_models:
            return None  # `run` loads them for each recording
        if self._kept is None:
            self._kept = WarmSteps.from_settings(self.settings)
        return self._kept

    def process(self, rec: Recording, hook: ProgressHook) -> Done:
        agenda, hints = load_companions(rec, self.load_agenda)
        steps = self._steps(agenda)
        result = run(rec.path, rec.out_dir, self.settings, agenda=agenda, hook=hook, steps=steps)
        outputs = sorted(result.outputs.values())
        return Done(result.transcript.audio.duration_s, outputs, [*hints, *result.warnings])


# ---- the batch -------------------------------------------------------------------------------


@dataclass
class Outcome:
    name: str
    status: str
    out_dir: Path
    duration_s: float | None = None
    seconds: float | None = None  # processing time in this batch; None when skipped
    outputs: list[str] = field(default_factory=list)  # file names in `out_dir`
    reason: str = ""  # German, for a failed recording
    hints: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def label(self, mode: str) -> str:
        if self.status == SKIPPED:
            return SKIP_LABELS[mode]
        if self.status == FAILED:
            return f"fehlgeschlagen: {self.reason}"
        return STATUS_LABELS[self.status]


@dataclass
class Summary:
    folder: Path
    out_root: Path
    mode: str
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # by recording name
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes.values() if o.status == status)

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.count(FAILED) else 0

    def table(self) -> str:
        return summary_table(list(self.outcomes.values()), self.mode)

    def totals(self) -> str:
        """`Fertig: 2, fehlgeschlagen: 1.`: the counts that are not zero, in German."""
        labels = (
            (FINISHED, "fertig"), (SUBMITTED, "eingereicht"), (SKIPPED, "übersprungen"),
            (FAILED, "fehlgeschlagen"), (INTERRUPTED, "abgebrochen"),
        )  # fmt: skip
        parts = [f"{label}: {self.count(s)}" for s, label in labels if self.count(s)]
        return (", ".join(parts) + ".").capitalize() if parts else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "out": str(self.out_root),
            "mode": self.mode,
            "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "interrupted": self.interrupted,
            "counts": {
                s: self.count(s) for s in (FINISHED, SUBMITTED, SKIPPED, FAILED, INTERRUPTED)
            },
            "exit_code": self.exit_code,
            "recordings": [
                {
                    "recording": o.name,
                    "status": o.status,
                    "status_text": o.label(self.mode),
                    "reason": o.reason or None,
                    "duration_s": o.duration_s,
                    "processing_s": None if o.seconds is None else round(o.seconds, 1),
                    "out_dir": str(o.out_dir),
                    "outputs": o.outputs,
                    "hints": o.hints,
                    **o.details,
                }
                for o in self.outcomes.values()
            ],
        }


def summary_table(outcomes: list[Outcome], mode: str) -> str:
    """The German summary: Aufnahme | Dauer | Bearbeitungszeit | Status | Ausgaben. A failed
    recording's reason runs to the end of its line."""
    head = ("Aufnahme", "Dauer", "Bearbeitungszeit", "Status", "Ausgaben")
    rows = []
    for o in outcomes:
        outputs = f"{o.out_dir} ({len(o.outputs)} Dateien)" if o.outputs else DASH
        if "job_id" in o.details:  # submitted: the documents come from the service's job
            outputs = f"Auftrag {o.details['job_id']}"
        rows.append(
            (
                o.name,
                DASH if o.duration_s is None else format_duration(o.duration_s),
                DASH if o.seconds is None else format_duration(o.seconds),
                o.label(mode),
                "" if o.status == FAILED else outputs,
            )
        )
    widths = [len(h) for h in head]
    for row, o in zip(rows, outcomes, strict=True):
        for i, cell in enumerate(row):
            if not (i == 3 and o.status == FAILED):
                widths[i] = max(widths[i], len(cell))

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(head), rule, *(line(r) for r in rows)])


class Batch:
    """Runs a processor over the recordings of a folder and keeps the manifests and the
    summary. `progress` makes the per-recording progress hook (None: no progress shown)."""

    def __init__(
        self,
        folder: Path,
        out_root: Path,
        processor: Processor,
        *,
        stream: TextIO | None = None,
        progress: Callable[[], ProgressHook] | None = TerminalProgress,
        reraise_internal: bool = False,
    ) -> None:
        self.folder = folder
        self.out_root = out_root
        self.processor = processor
        self.stream = stream or sys.stderr
        self.progress = progress
        self.reraise_internal = reraise_internal
        self.summary = Summary(folder, out_root, processor.mode)

    def _say(self, text: str) -> None:
        if self.progress is not None:
            print(text, file=self.stream, flush=True)

    def run_all(self) -> Summary:
        """Each recording once; Ctrl-C ends the batch after noting the one interrupted."""
        recordings = discover(self.folder, self.out_root)
        try:
            for index, rec in enumerate(recordings, 1):
                self.process(rec, f"{index} von {len(recordings)}")
        except KeyboardInterrupt:
            self.summary.interrupted = True
        self.write_summary()
        return self.summary

    def watch(
        self, *, settle_s: float, poll_s: float = 1.0, stop: Callable[[], bool] = lambda: False
    ) -> Summary:
        """Poll the folder until `stop()` or Ctrl-C; take each recording once its size and
        modification time stayed the same for `settle_s` seconds, and again after it changed."""
        seen: dict[Path, tuple[int, int, float]] = {}  # size, mtime_ns, since when
        handled: dict[Path, tuple[int, int]] = {}
        count = 0
        try:
            while not stop():
                for rec in discover(self.folder, self.out_root):
                    try:
                        stat = rec.path.stat()
                    except OSError:
                        continue  # moved or deleted meanwhile
                    now = (
                        time.monotonic()
                    )  # not the pass's start: a recording before may take hours
                    key = (stat.st_size, stat.st_mtime_ns)
                    if handled.get(rec.path) == key:
                        continue
                    before = seen.get(rec.path)
                    if before is None or before[:2] != key:
                        seen[rec.path] = (*key, now)
                        continue
                    if now - before[2] < settle_s or stat.st_size == 0:
                        continue
                    handled[rec.path] = key
                    count += 1
                    self.process(rec, str(count))
                    self.write_summary()
                _sleep_unless(stop, poll_s)
        except KeyboardInterrupt:
            self.summary.interrupted = True
        self.write_summary()
        return self.summary

    def process(self, rec: Recording, position: str) -> Outcome:
        """One recording: skipped if done before, else processed; a failure is recorded with
        its reason and does not stop the batch. Ctrl-C is passed on."""
        mode = self.processor.mode
        previous = _done_before(rec, mode)
        if previous is not None:
            outcome = Outcome(
                rec.name, SKIPPED, rec.out_dir,
                duration_s=previous.get("duration_s"),
                outputs=list(previous.get("outputs", [])),
                details={k: previous[k] for k in ("meeting_id", "job_id") if k in previous},
            )  # fmt: skip
            self._say(f"Aufnahme {position}: {rec.name} – {SKIP_LABELS[mode]}")
            self.summary.outcomes[rec.name] = outcome
            return outcome
        with_agenda = f" (Tagesordnung: {rec.agenda.name})" if rec.agenda else ""
        self._say(f"Aufnahme {position}: {rec.name}{with_agenda}")
        hook = self.progress() if self.progress is not None else null_hook
        began = time.monotonic()
        fingerprint: dict[str, Any] = {"recording": rec.name}
        try:
            fingerprint.update(_fingerprint(rec))
            done = self.processor.process(rec, hook)
            outcome = Outcome(
                rec.name, DONE_STATUS[mode], rec.out_dir,
                duration_s=done.duration_s,
                outputs=[p.name for p in done.outputs],
                hints=done.hints, details=done.details,
            )  # fmt: skip
        except KeyboardInterrupt:
            self._record(Outcome(rec.name, INTERRUPTED, rec.out_dir), began)
            raise
        except ProtokollError as exc:
            outcome = Outcome(rec.name, FAILED, rec.out_dir, reason=str(exc))
        except OSError as exc:  # e.g. the file was moved away meanwhile, or a full disk
            outcome = Outcome(rec.name, FAILED, rec.out_dir, reason=_file_problem(exc))
        except Exception as exc:
            if self.reraise_internal:
                raise
            log.debug("internal error on %s", rec.name, exc_info=True)
            outcome = Outcome(
                rec.name, FAILED, rec.out_dir,
                reason=f"Interner Fehler ({type(exc).__name__}); Einzelheiten mit --debug.",
            )  # fmt: skip
        self._record(outcome, began)
        entry = {
            **fingerprint,
            "status": outcome.status,
            "reason": outcome.reason or None,
            "duration_s": outcome.duration_s,
            "processing_s": round(outcome.seconds or 0.0, 1),
            "outputs": outcome.outputs,
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **outcome.details,
        }
        manifest = read_manifest(rec.out_dir)
        manifest[mode] = entry
        _write_json(rec.out_dir / MANIFEST, manifest)
        if outcome.status == FAILED:
            self._say(f"Aufnahme {position}: {rec.name} – fehlgeschlagen: {outcome.reason}")
        return outcome

    def _record(self, outcome: Outcome, began: float) -> None:
        outcome.seconds = time.monotonic() - began
        self.summary.outcomes[outcome.name] = outcome

    def write_summary(self) -> Path:
        path = self.out_root / SUMMARY
        _write_json(path, self.summary.as_json())
        return path


_ERRNO_DE = {
    errno.ENOENT: "Die Datei ist nicht mehr vorhanden",
    errno.EACCES: "Keine Berechtigung für die Datei",
    errno.EPERM: "Keine Berechtigung für die Datei",
    errno.ENOSPC: "Kein Speicherplatz mehr frei",
    errno.EDQUOT: "Das Speicherkontingent ist erschöpft",
}


def _file_problem(exc: OSError) -> str:
    what = _ERRNO_DE.get(exc.errno or 0)
    what = what or f"Eine Datei ließ sich nicht lesen oder schreiben ({exc.strerror or exc})"
    return f"{what}: {exc.filename}." if exc.filename else f"{what}."


def _fingerprint(rec: Recording) -> dict[str, Any]:
    """What decides whether a later batch may skip the recording."""
    stat = rec.path.stat()
    return {
        "recording_sha256": file_sha256(rec.path),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "agenda": rec.agenda.name if rec.agenda else None,
        "agenda_sha256": _sha256_or_none(rec.agenda),
        "members": rec.members.name if rec.members else None,
        "members_sha256": _sha256_or_none(rec.members),
    }


def _sleep_unless(stop: Callable[[], bool], seconds: float) -> None:
    end = time.monotonic() + seconds
    while not stop() and (left := end - time.monotonic()) > 0:
        time.sleep(min(left, 0.2))
