"""Publication of the approved minutes: PDF (from the DOCX) and an OParl 1.1 export.

- `docx_to_pdf` / `pdf_available` (`protokoll.publication.pdf`): LibreOffice headless.
- `oparl_meeting` / `write_oparl_json` / `PublishedFile`
  (`protokoll.publication.oparl_export`): the minutes as an OParl Meeting for a council
  information system (Ratsinformationssystem).

Errors are `PublicationError`s (a `ProtokollError`, German message).
"""

from __future__ import annotations

from protokoll.publication.oparl_export import (
    PublishedFile,
    oparl_meeting,
    result_text,
    write_oparl_json,
)
from protokoll.publication.pdf import PublicationError, docx_to_pdf, pdf_available

__all__ = [
    "PublicationError",
    "PublishedFile",
    "docx_to_pdf",
    "oparl_meeting",
    "pdf_available",
    "result_text",
    "write_oparl_json",
]
