"""Text read back from a PDF, for checks that must not depend on the LibreOffice package
variant (`libreoffice-writer` or `-nogui`) or on how it lays out a table."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

# publication renders the PDF with LibreOffice; CI installs libreoffice-writer
needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (libreoffice-writer) is needed for the PDF of the published minutes",
)


def pdf_text(pdf: Path) -> str:
    """The PDF's text in the order it was written (`pdftotext -raw`: the content stream,
    not the visual columns, which differ between LibreOffice builds), whitespace folded to
    single spaces, and lines that wrap after a hyphen or dash inside a word joined."""
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    text = re.sub(r"(?<=\S)([-–])\n", r"\1", text)
    return re.sub(r"\s+", " ", text)
