#!/usr/bin/env python3
"""Render a DOCX for review: DOCX → PDF (LibreOffice, headless) → one PNG per page.

Usage: ``scripts/render_docx.py DOCX OUTDIR [--dpi 110] [--timeout 180]``

Writes ``OUTDIR/<name>.pdf`` and ``OUTDIR/<name>-<page>.png`` and prints the PNG paths,
one per line. The PDF comes from `protokoll.publication.pdf.docx_to_pdf`: LibreOffice runs
with a fresh temporary user profile (removed afterwards), so it neither touches a desktop
profile nor collides with another running instance. Needs ``libreoffice`` (or ``soffice``)
and ``pdftoppm`` (poppler) on PATH.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

try:
    from protokoll.publication.pdf import PublicationError, find_office
    from protokoll.publication.pdf import docx_to_pdf as _docx_to_pdf_file
except ModuleNotFoundError:  # run with a Python where protokoll is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from protokoll.publication.pdf import PublicationError, find_office
    from protokoll.publication.pdf import docx_to_pdf as _docx_to_pdf_file

DEFAULT_DPI = 110
DEFAULT_TIMEOUT_S = 180.0


class RenderError(RuntimeError):
    """The document could not be converted or rasterised."""


__all__ = ["RenderError", "docx_to_pdf", "find_office", "main", "pdf_to_pngs", "render"]


def docx_to_pdf(docx: Path, outdir: Path, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> Path:
    """Convert ``docx`` to ``outdir/<stem>.pdf`` with LibreOffice headless."""
    try:
        return _docx_to_pdf_file(docx, outdir / f"{docx.stem}.pdf", timeout_s=timeout_s)
    except PublicationError as exc:
        raise RenderError(str(exc)) from exc


def pdf_to_pngs(
    pdf: Path, outdir: Path, *, dpi: int = DEFAULT_DPI, timeout_s: float = DEFAULT_TIMEOUT_S
) -> list[Path]:
    """Rasterise every page of ``pdf`` to ``outdir/<stem>-<page>.png`` with pdftoppm."""
    if shutil.which("pdftoppm") is None:
        raise RenderError("pdftoppm (poppler-utils) ist nicht installiert bzw. nicht im PATH")
    prefix = outdir / pdf.stem
    for old in outdir.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    try:
        proc = subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(f"pdftoppm brauchte länger als {timeout_s:.0f} s: {pdf}") from exc
    if proc.returncode != 0:
        raise RenderError(f"pdftoppm ist fehlgeschlagen: {proc.stderr.strip()}")
    pages = sorted(outdir.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[-1]))
    if not pages:
        raise RenderError(f"pdftoppm hat keine Seiten geschrieben: {pdf}")
    return pages


def render(
    docx: Path, outdir: Path, *, dpi: int = DEFAULT_DPI, timeout_s: float = DEFAULT_TIMEOUT_S
) -> tuple[Path, list[Path]]:
    """DOCX → PDF → PNG pages; returns the PDF and the page images."""
    if not docx.is_file():
        raise RenderError(f"Datei nicht gefunden: {docx}")
    pdf = docx_to_pdf(docx.resolve(), outdir, timeout_s=timeout_s)
    return pdf, pdf_to_pngs(pdf, outdir, dpi=dpi, timeout_s=timeout_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("docx", type=Path, help="the DOCX to render")
    parser.add_argument("outdir", type=Path, help="folder for the PDF and the PNG pages")
    parser.add_argument("--dpi", type=int, default=DEFAULT_DPI, help="PNG resolution")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per tool call"
    )
    args = parser.parse_args(argv)
    try:
        _, pages = render(args.docx, args.outdir, dpi=args.dpi, timeout_s=args.timeout)
    except RenderError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    for page in pages:
        print(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
