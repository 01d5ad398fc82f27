"""The municipality's AI-register entries, built from the settings and the audit log.

- `figures`: the measured figures ("Kennzahlen") from audit entries: sessions and hours
  processed, models in use, approvals, publications, deletions, incidents;
- `targets.build_export(target, …)`: one export per register, each in the language and
  vocabulary its standard requires and checked against it (`standards`):
  `de` (`export`, this project's own schema, German), `nl` (`algoritmeregister`, Dutch
  Algoritmeregister v1.0), `uk` (`atrs`, UK ATRS v4.0); German settings are mapped onto
  each target's lists (`vocabularies`), texts come per language (`texts`, `statements`);
- `steckbrief_docx`: the German entry as a "KI-Steckbrief" (MaKI / KI-Transparenzregister).

The official schemas are vendored in `schemas/` with their source and licence. The service
reads the audit log and passes the entries in (`protokoll.service.usecases.register`);
this package never touches a database. `protokoll register export --target …` writes the
files.
"""

from protokoll.register.export import build_register_entry, validate_register_entry
from protokoll.register.figures import RegisterFigures, register_figures
from protokoll.register.report import RegisterExport
from protokoll.register.standards import RegisterError
from protokoll.register.steckbrief_docx import steckbrief_docx_bytes, write_steckbrief_docx
from protokoll.register.targets import TARGET_NAMES, TARGETS, build_export

__all__ = [
    "TARGETS",
    "TARGET_NAMES",
    "RegisterError",
    "RegisterExport",
    "RegisterFigures",
    "build_export",
    "build_register_entry",
    "register_figures",
    "steckbrief_docx_bytes",
    "validate_register_entry",
    "write_steckbrief_docx",
]
