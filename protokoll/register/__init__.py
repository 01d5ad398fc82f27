"""The municipality's AI-register entry (issue #5), built from the settings and the audit log.

- `figures`: the measured figures ("Kennzahlen") from audit entries: sessions and hours
  processed, models in use, approvals, publications, deletions, incidents;
- `export`: the entry as JSON (Dutch Algoritmeregister v1.0 field names, UK ATRS structure,
  the figures), validated against `register.schema.json`;
- `steckbrief_docx`: the same content as a German "KI-Steckbrief" (MaKI /
  KI-Transparenzregister).

The service reads the audit log and passes the entries in
(`protokoll.service.usecases.register`); this package never touches a database.
`protokoll register export` writes both files.
"""

from protokoll.register.export import (
    RegisterError,
    build_register_entry,
    validate_register_entry,
)
from protokoll.register.figures import RegisterFigures, register_figures
from protokoll.register.steckbrief_docx import steckbrief_docx_bytes, write_steckbrief_docx

__all__ = [
    "RegisterError",
    "RegisterFigures",
    "build_register_entry",
    "register_figures",
    "steckbrief_docx_bytes",
    "validate_register_entry",
    "write_steckbrief_docx",
]
