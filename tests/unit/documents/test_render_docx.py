"""The Niederschrift renders with LibreOffice (``scripts/render_docx.py``): every part is in
the PDF, and the pages become PNG images for review."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from protokoll.documents.niederschrift_docx import write_niederschrift_docx
from tests.support import builders
from tests.support.pdf import pdf_text

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.skipif(
        shutil.which("libreoffice") is None and shutil.which("soffice") is None,
        reason="libreoffice ist nicht installiert (CI installiert es; lokal: apt install "
        "libreoffice-writer)",
    ),
    pytest.mark.skipif(
        shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
        reason="poppler-utils (pdftoppm, pdftotext) sind nicht installiert",
    ),
]


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


render_docx = _load(ROOT / "scripts" / "render_docx.py", "render_docx_script")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], str]:
    out = tmp_path_factory.mktemp("render")
    docx = out / "niederschrift.docx"
    write_niederschrift_docx(
        builders.build_minutes(),
        docx,
        speaker_names={"SPEAKER_03": "Ratsmitglied Öztürk"},
        created=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
    )
    pdf, pages = render_docx.render(docx, out / "pages", dpi=60)
    return pdf, pages, pdf_text(pdf)


def test_pdf_contains_every_part(rendered: tuple[Path, list[Path], str]) -> None:
    _, _, text = rendered
    for part in (
        "Briefkopf der Kommune",
        "KI-gestützter Entwurf – nicht geprüft",
        "Niederschrift",
        "Rat der Gemeinde Musterstadt",
        "über die 12. Sitzung am 19.11.2026",
        "Beginn: 18:00 Uhr",
        "Ende: 19:14 Uhr",
        "KI-gestützter Entwurf: automatisch erstellt",
        "Prüfhinweise",
        "Anwesenheit",
        "Vorsitz: Bürgermeisterin Anna Schäfer",
        "Schriftführung: Sabine Vogel",
        "Tagesordnung",
        "Öffentlicher Teil",
        "Nicht öffentlicher Teil",
        "TOP 1: Genehmigung der Niederschrift",
        "TOP 2: Sanierung der Grundschule Am Lindenweg – Baubeschluss",
        "TOP 3: Antrag der SPD-Fraktion auf Einrichtung eines Jugendbeirats",
        "TOP 4: Verkauf des Grundstücks",
        "Vorlage: 2026/0142",
        "Beratungsverlauf",
        "[00:12:03–00:12:40]",
        "Anträge",
        "Beschluss",
        "kein Beschluss",
        "Abstimmungsergebnis",
        "mehrheitlich beschlossen",
        "Ja: 14, Nein: 3, Enthaltungen: 2, Befangen: –",
        "Ja: –, Nein: –, Enthaltungen: –, Befangen: –",
        "vertagt",
        "Datum, Unterschrift",
        "Seite 1 von",
    ):
        assert part in text, part
    assert text.count("Datum, Unterschrift") == 2
    assert text.rindex("Datum, Unterschrift") > text.rindex("TOP 4: Verkauf")


def test_png_pages(rendered: tuple[Path, list[Path], str]) -> None:
    pdf, pages, _ = rendered
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.name == f"niederschrift-{number}.png"
        assert page.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert page.stat().st_size > 1000


def test_cli(
    rendered: tuple[Path, list[Path], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, _, _ = rendered
    docx = pdf.parent.parent / "niederschrift.docx"
    assert render_docx.main([str(docx), str(tmp_path), "--dpi", "40"]) == 0
    printed = capsys.readouterr().out.split()
    assert printed and all(Path(p).is_file() and p.endswith(".png") for p in printed)
    assert render_docx.main([str(tmp_path / "fehlt.docx"), str(tmp_path)]) == 1
    assert "nicht gefunden" in capsys.readouterr().err
