"""A municipality's letterhead template for the tests: the shipped template with a text in
its header."""

from __future__ import annotations

import io

from docx import Document

from protokoll.documents.niederschrift_docx import DEFAULT_TEMPLATE

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def letterhead_docx(text: str) -> bytes:
    document = Document(str(DEFAULT_TEMPLATE))
    document.sections[0].header.paragraphs[0].text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def header_text(content: bytes) -> str:
    """The header text of every section of a DOCX."""
    document = Document(io.BytesIO(content))
    return " ".join(p.text for s in document.sections for p in s.header.paragraphs)
