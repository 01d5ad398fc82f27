"""DOCX → PDF with LibreOffice (`protokoll.publication.pdf`).

The conversion tests use a real Niederschrift DOCX and a real LibreOffice (skipped where
it is not installed); the error paths use stand-in ``soffice`` scripts, so they run
everywhere.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from protokoll.documents.niederschrift_docx import write_niederschrift_docx
from protokoll.errors import ProtokollError
from protokoll.publication import PublicationError, docx_to_pdf, pdf_available
from tests.support import builders
from tests.support.pdf import pdf_text

ROOT = Path(__file__).resolve().parents[3]

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice ist nicht installiert (Debian: apt install libreoffice-writer)",
)
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext ist nicht installiert (Debian: apt install poppler-utils)",
)


@pytest.fixture(scope="module")
def docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "Niederschrift Rat 19.11.2026.docx"
    write_niederschrift_docx(
        builders.build_minutes(),
        path,
        created=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
    )
    return path


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder of its own for the conversion's working files, to check they go."""
    work = tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    return work


# --- real conversions ------------------------------------------------------------------------


@needs_office
@needs_pdftotext
def test_converts_the_niederschrift(docx: Path, tmp_path: Path, private_tmp: Path) -> None:
    target = tmp_path / "veröffentlicht" / "niederschrift.pdf"  # the folder does not exist
    assert pdf_available()
    assert docx_to_pdf(docx, target) == target
    assert target.read_bytes().startswith(b"%PDF")
    text = pdf_text(target)
    for part in (
        "Niederschrift",
        "TOP 1: Genehmigung der Niederschrift über die 11. Sitzung vom 15.10.2026",
        "TOP 2: Sanierung der Grundschule Am Lindenweg – Baubeschluss",
        "TOP 3: Antrag der SPD-Fraktion auf Einrichtung eines Jugendbeirats",
        "Vorsitz: Bürgermeisterin Anna Schäfer",
        "Emine Öztürk (SPD)",
        "Lena Wißmann (Grüne)",
        "Der Rat beschließt die Sanierung",
        "Öffentlicher Teil",
    ):
        assert part in text, part
    # nothing else is left behind: no partial file, no profile, no copy of the DOCX
    assert [p.name for p in target.parent.iterdir()] == ["niederschrift.pdf"]
    assert list(private_tmp.iterdir()) == []
    assert docx.is_file()


@needs_office
def test_parallel_conversions(docx: Path, tmp_path: Path, private_tmp: Path) -> None:
    targets = [tmp_path / "a" / "niederschrift.pdf", tmp_path / "b" / "niederschrift.pdf"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda target: docx_to_pdf(docx, target), targets))
    assert done == targets
    for target in targets:
        assert target.read_bytes().startswith(b"%PDF")
        assert target.stat().st_size > 10_000
    assert list(private_tmp.iterdir()) == []


@needs_office
def test_replaces_an_existing_pdf(docx: Path, tmp_path: Path) -> None:
    target = tmp_path / "niederschrift.pdf"
    target.write_bytes(b"alte Fassung")
    docx_to_pdf(docx, target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["niederschrift.pdf"]


# --- errors ----------------------------------------------------------------------------------


def test_missing_libreoffice_names_the_debian_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert not pdf_available()
    source = tmp_path / "n.docx"
    source.write_bytes(b"PK")
    with pytest.raises(PublicationError) as info:
        docx_to_pdf(source, tmp_path / "n.pdf")
    message = str(info.value)
    assert "LibreOffice ist nicht installiert" in message
    assert "libreoffice-writer" in message
    assert isinstance(info.value, ProtokollError)
    assert not (tmp_path / "n.pdf").exists()


def _fake_office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """A stand-in ``soffice`` (a shell script) first on PATH."""
    bindir = tmp_path / "fakebin"
    bindir.mkdir(parents=True)
    office = bindir / "soffice"
    office.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    office.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    return office


def test_missing_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_office(tmp_path, monkeypatch, "exit 0\n")
    with pytest.raises(PublicationError, match="wurde nicht gefunden"):
        docx_to_pdf(tmp_path / "fehlt.docx", tmp_path / "n.pdf")


def test_conversion_failed_keeps_the_old_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_tmp: Path
) -> None:
    _fake_office(tmp_path, monkeypatch, "echo 'Error: source file could not be loaded' >&2\n")
    source = tmp_path / "n.docx"
    source.write_bytes(b"PK")
    target = tmp_path / "out" / "n.pdf"
    target.parent.mkdir()
    target.write_bytes(b"alte Fassung")
    # exit code 0 but no PDF (LibreOffice does that for a file it cannot load)
    with pytest.raises(PublicationError, match="keine PDF-Datei geschrieben"):
        docx_to_pdf(source, target)
    assert target.read_bytes() == b"alte Fassung"
    _fake_office(tmp_path / "2", monkeypatch, "echo 'javaldx: kaputt' >&2\nexit 81\n")
    with pytest.raises(PublicationError, match=r"Exit-Code 81: javaldx: kaputt"):
        docx_to_pdf(source, target)
    assert target.read_bytes() == b"alte Fassung"
    assert [p.name for p in target.parent.iterdir()] == ["n.pdf"]
    assert list(private_tmp.iterdir()) == []


def test_a_half_written_pdf_is_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # writes something that is no PDF into --outdir, as a crashed export would
    script = (
        'while [ $# -gt 1 ]; do [ "$1" = --outdir ] && out="$2"; shift; done\n'
        'name=$(basename "$1"); printf "%s" "kaputt" > "$out/${name%.*}.pdf"\n'
    )
    _fake_office(tmp_path, monkeypatch, script)
    source = tmp_path / "n.docx"
    source.write_bytes(b"PK")
    with pytest.raises(PublicationError, match="keine PDF-Datei"):
        docx_to_pdf(source, tmp_path / "n.pdf")
    assert not (tmp_path / "n.pdf").exists()


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="braucht /proc (Linux)")
def test_timeout_kills_libreoffice_and_its_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_tmp: Path
) -> None:
    pidfile = tmp_path / "child.pid"
    monkeypatch.setenv("PIDFILE", str(pidfile))
    _fake_office(tmp_path, monkeypatch, 'sleep 60 &\necho $! > "$PIDFILE"\nwait\n')
    source = tmp_path / "n.docx"
    source.write_bytes(b"PK")
    started = time.monotonic()
    with pytest.raises(PublicationError, match=r"nicht innerhalb von 1\.5 s") as info:
        docx_to_pdf(source, tmp_path / "n.pdf", timeout_s=1.5)
    assert time.monotonic() - started < 15
    assert "abgebrochen" in str(info.value)
    child = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "the process LibreOffice started must be gone"
    assert not (tmp_path / "n.pdf").exists()
    assert list(private_tmp.iterdir()) == []
