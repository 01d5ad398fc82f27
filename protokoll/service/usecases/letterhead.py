"""A municipality's letterhead: the DOCX template its minutes are written on.

The administrator uploads a Word document; it is checked (a real DOCX or DOTX without
macros that python-docx opens, at most `MAX_TEMPLATE_BYTES`), written atomically to the
municipality's folder as `vorlagen/niederschrift.docx` and set as its own
`[minutes] template`. Reverting removes that setting: the installation's template
(config.toml) or the shipped one holds again. Both are audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from protokoll.documents.niederschrift_docx import DEFAULT_TEMPLATE, open_template
from protokoll.errors import ConfigError, InputError
from protokoll.service.context import ServiceContext
from protokoll.service.infra import audit, tenancy
from protokoll.service.infra.storage import safe_display_name
from protokoll.service.infra.tables import User, utcnow
from protokoll.service.usecases import accounts, municipalities

TEMPLATE_NAME = "vorlagen/niederschrift.docx"  # relative: in the municipality's folder
MAX_TEMPLATE_BYTES = 10 * 1024**2
MAX_UNPACKED_BYTES = 100 * 1024**2  # a DOCX that unpacks to more is refused (zip bomb)
_MAIN_TYPES = (
    b"wordprocessingml.document.main+xml",
    b"wordprocessingml.template.main+xml",
)
NOT_DOCX = (
    "Diese Datei ist kein Word-Dokument (DOCX). Bitte die Vorlage in Word mit „Speichern "
    "unter → Word-Dokument (*.docx)“ speichern und erneut hochladen."
)


@dataclass(frozen=True)
class TemplateState:
    """The template the municipality's minutes are written on now."""

    source: str  # "kommune" (uploaded), "installation" (config.toml), "mitgeliefert"
    path: Path  # the file in use
    size: int | None
    modified: dt.datetime | None

    @property
    def own(self) -> bool:
        return self.source == "kommune"


SOURCE_LABELS = {
    "kommune": "Eigene Vorlage der Kommune",
    "installation": "Vorlage der Installation (Konfiguration)",
    "mitgeliefert": "Mitgelieferte Vorlage von protokoll (ohne Briefkopf)",
}


def template_state(ctx: ServiceContext, s: Session, admin: User) -> TemplateState:
    accounts.require_admin(admin)
    key = admin.municipality_id
    assert key is not None  # require_admin
    found = municipalities.get(s, key)
    own = (found.settings or {}).get("minutes")
    current = ctx.for_municipality(key, s).settings.minutes.template
    if isinstance(own, dict) and own.get("template") and current is not None:
        source = "kommune"
    elif current is not None:
        source = "installation"
    else:
        source, current = "mitgeliefert", DEFAULT_TEMPLATE
    try:
        info = current.stat()
    except OSError:
        return TemplateState(source, current, None, None)
    modified = dt.datetime.fromtimestamp(info.st_mtime, dt.UTC)
    return TemplateState(source, current, info.st_size, modified)


def check_docx(data: bytes) -> None:
    """InputError (German) unless `data` is a Word document or template without macros
    that opens as one; the file name does not count, only the content."""
    if not data:
        raise InputError("Die Datei ist leer. Bitte die Vorlage (DOCX) auswählen.")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise InputError(
            f"Die Vorlage ist zu groß (höchstens {MAX_TEMPLATE_BYTES // 1024**2} MB). Bilder im "
            "Briefkopf bitte verkleinern."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            types = archive.read("[Content_Types].xml")
            has_body = "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InputError(NOT_DOCX) from None
    if b"macroEnabled" in types:
        raise InputError(
            "Vorlagen mit Makros (DOCM, DOTM) werden nicht angenommen. Bitte die Vorlage als "
            "Word-Dokument ohne Makros (*.docx) speichern."
        )
    if not has_body or not any(t in types for t in _MAIN_TYPES):
        raise InputError(NOT_DOCX)
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError("Die Vorlage ist entpackt zu groß; bitte Bilder im Briefkopf verkleinern.")


def upload_template(
    ctx: ServiceContext, s: Session, admin: User, data: bytes, filename: str = ""
) -> TemplateState:
    """Check and store the DOCX as the municipality's template and set it (see module)."""
    accounts.require_admin(admin)
    key = admin.municipality_id
    assert key is not None  # require_admin
    check_docx(data)
    found = municipalities.get(s, key)
    overrides: dict[str, Any] = dict(found.settings or {})
    overrides["minutes"] = {**(overrides.get("minutes") or {}), "template": TEMPLATE_NAME}
    installation = ctx.installation or ctx
    root = installation.layout.tenant(key).root
    tenancy.settings_for(installation.settings, overrides, root)  # valid before any write
    _write_atomically(root / TEMPLATE_NAME, data)
    found.settings = overrides
    found.updated_at = utcnow()
    audit.record(
        s, "template.uploaded", user=admin, municipality_id=key,
        details={
            "name": safe_display_name(filename or "vorlage.docx"), "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    )  # fmt: skip
    s.flush()
    return template_state(ctx, s, admin)


def reset_template(ctx: ServiceContext, s: Session, admin: User) -> TemplateState:
    """The municipality's own template no longer holds (its file stays until the next
    upload replaces it, so a job that started with it can still finish)."""
    accounts.require_admin(admin)
    key = admin.municipality_id
    assert key is not None  # require_admin
    found = municipalities.get(s, key)
    overrides: dict[str, Any] = dict(found.settings or {})
    minutes = dict(overrides.get("minutes") or {})
    if minutes.pop("template", None) is not None:
        if minutes:
            overrides["minutes"] = minutes
        else:
            overrides.pop("minutes", None)
        found.settings = overrides
        found.updated_at = utcnow()
        audit.record(s, "template.reset", user=admin, municipality_id=key, details={})
        s.flush()
    return template_state(ctx, s, admin)


def _write_atomically(target: Path, data: bytes) -> None:
    """Write beside the target, check that it opens as a template, then replace it: a
    job reading the template meanwhile sees the old file or the new one, never half."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    part = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    try:
        with part.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            open_template(part)
        except (ConfigError, SyntaxError, ValueError, KeyError):  # SyntaxError: broken XML
            raise InputError(NOT_DOCX) from None
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
