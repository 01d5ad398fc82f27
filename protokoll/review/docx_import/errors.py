"""The errors of reading an uploaded Niederschrift DOCX; each message (German) says why."""

from __future__ import annotations

from protokoll.errors import InputError


class DocxImportError(InputError):
    """An uploaded DOCX cannot be read back; the message (German) says why."""


class NotDocxError(DocxImportError):
    """Not a DOCX (another format, an empty or damaged file)."""


class DocxTooLargeError(DocxImportError):
    """The file, or its unpacked text, is over the limits."""


class ForeignDocxError(DocxImportError):
    """A Word document, but not a Niederschrift protokoll wrote: no identifier and none of
    the draft's TOPs."""


class DocxStructureError(DocxImportError):
    """A Niederschrift whose structure cannot be read (no TOP heading of the draft)."""
