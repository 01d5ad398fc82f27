"""DOCX → PDF with LibreOffice (headless), safe to call from several threads or processes.

Every call runs its own LibreOffice instance with a fresh user profile in a temporary folder
(``-env:UserInstallation=file:///…``), so concurrent conversions never share a profile or
lock each other out, and a desktop user's profile is never touched. The DOCX is copied into
that folder first (LibreOffice writes lock files next to the document it opens), the PDF is
written there and then moved into place atomically: ``out_pdf`` is either the complete PDF
or untouched, never half-written. The temporary folder is removed afterwards, also after an
error or a timeout (the whole LibreOffice process group is killed then).

Needs ``soffice`` or ``libreoffice`` on PATH (Debian package ``libreoffice-writer``).
Errors are `PublicationError`s with a German message for the user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from protokoll.errors import ProtokollError

DEFAULT_TIMEOUT_S = 180.0
DEBIAN_PACKAGE = "libreoffice-writer"

_PDF_MAGIC = b"%PDF"


class PublicationError(ProtokollError):
    """A publication format (PDF, OParl export) could not be produced."""

    exit_code = 7


def find_office() -> str | None:
    """The LibreOffice executable on PATH (``soffice``, else ``libreoffice``), if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    """Whether `docx_to_pdf` can run here (LibreOffice is on PATH)."""
    return find_office() is not None


def docx_to_pdf(docx: Path, out_pdf: Path, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> Path:
    """Convert ``docx`` to the PDF ``out_pdf`` (replaced if it exists); returns ``out_pdf``.

    ``timeout_s`` bounds the LibreOffice run. Raises `PublicationError` (German message)
    when LibreOffice is missing, takes too long, or produces no PDF; ``out_pdf`` is then
    left as it was.
    """
    docx = Path(docx)
    out_pdf = Path(out_pdf)
    office = find_office()
    if office is None:
        raise PublicationError(
            "LibreOffice ist nicht installiert (Programm „soffice“ nicht gefunden); ohne "
            "LibreOffice kann keine PDF-Datei erzeugt werden. Bitte das Debian-Paket "
            f"„{DEBIAN_PACKAGE}“ installieren: apt install {DEBIAN_PACKAGE}"
        )
    if not docx.is_file():
        raise PublicationError(f"Die Datei „{docx}“ wurde nicht gefunden.")
    work = Path(tempfile.mkdtemp(prefix="protokoll-pdf-"))
    try:
        source = work / "in" / _plain_name(docx)
        source.parent.mkdir()
        shutil.copyfile(docx, source)
        outdir = work / "out"
        outdir.mkdir()
        _run_office(office, work / "profile", source, outdir, docx, timeout_s)
        produced = outdir / f"{source.stem}.pdf"
        if not _is_pdf(produced):
            raise PublicationError(
                f"LibreOffice konnte „{docx.name}“ nicht in PDF umwandeln: es wurde keine "
                "PDF-Datei geschrieben. Bitte prüfen, ob sich das Dokument in Word oder "
                "LibreOffice öffnen lässt."
            )
        _move_into_place(produced, out_pdf)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out_pdf


def _plain_name(docx: Path) -> str:
    """The file name LibreOffice gets: the original one where it is harmless."""
    name = docx.name
    if not name.lower().endswith((".docx", ".dotx", ".doc", ".odt", ".rtf")):
        name += ".docx"
    # a leading dash would read as an option; control characters confuse the command line
    if name.startswith("-") or any(ord(ch) < 32 for ch in name):
        name = "dokument" + Path(name).suffix
    return name


def _run_office(
    office: str, profile: Path, source: Path, outdir: Path, original: Path, timeout_s: float
) -> None:
    cmd = [
        office,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nologo",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(source),
    ]
    env = dict(os.environ)
    # a HOME that cannot be written (service users) must not stop LibreOffice
    env["HOME"] = str(profile.parent)
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=profile.parent,
            start_new_session=True,  # its own process group: a timeout kills all of it
        )
    except OSError as exc:
        raise PublicationError(
            f"LibreOffice („{office}“) konnte nicht gestartet werden: {exc.strerror or exc}. "
            f"Bitte die Installation des Debian-Pakets „{DEBIAN_PACKAGE}“ prüfen."
        ) from exc
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise PublicationError(
            f"LibreOffice hat „{original.name}“ nicht innerhalb von {timeout_s:g} s in PDF "
            "umgewandelt; die Umwandlung wurde abgebrochen. Bitte erneut versuchen; tritt "
            "das wieder auf, ist der Server überlastet oder das Dokument beschädigt."
        ) from None
    except BaseException:
        _kill_group(proc)
        raise
    if proc.returncode != 0:
        detail = _last_line(err) or _last_line(out)
        raise PublicationError(
            f"LibreOffice konnte „{original.name}“ nicht in PDF umwandeln "
            f"(Exit-Code {proc.returncode}" + (f": {detail}" if detail else "") + ")."
        )


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.communicate(timeout=10)


def _last_line(data: bytes | None) -> str:
    lines = (data or b"").decode("utf-8", "replace").strip().splitlines()
    return lines[-1].strip() if lines else ""


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(_PDF_MAGIC)) == _PDF_MAGIC
    except OSError:
        return False


def _move_into_place(produced: Path, target: Path) -> None:
    """Copy ``produced`` next to ``target`` under a temporary name, then rename it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, part_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    part = Path(part_name)
    try:
        with os.fdopen(fd, "wb") as dst, produced.open("rb") as src:
            shutil.copyfileobj(src, dst)
            dst.flush()
            os.fsync(dst.fileno())
        os.chmod(part, 0o644)  # mkstemp creates 0600; the PDF is meant to be read
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise PublicationError(
            f"Die PDF-Datei „{target}“ konnte nicht geschrieben werden: {exc.strerror or exc}."
        ) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
