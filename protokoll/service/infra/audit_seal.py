"""What makes the audit chain hold against someone with access to the database alone.

* **The key.** From the moment it exists, entries are hashed with HMAC-SHA256 under a
  secret kept outside the database: a file readable by the service alone
  (`[service] audit_key_file`, default `<data_dir>/audit.key`, 0600). Whoever can write
  the database but not read this file can alter an entry, but cannot recompute the
  later hashes. The file also records from which entry on the chain is keyed, so
  entries written before the key was made still verify.
* **The anchors.** The head of the chain (number and hash of the newest entry) is
  appended to a file outside the database (`[service] audit_anchor_file`, default
  `<data_dir>/audit-anker.jsonl`), once a day by the workers and at every
  `audit verify` and register export. Removing entries at the tail, rewinding the head,
  or replacing the database by an empty or older one contradicts the anchors.

For stronger guarantees, keep both files on another volume or host than the database;
anyone who can change them as well as the database can rewrite the log, and `verify`
says so.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from protokoll.errors import ConfigError


@dataclass(frozen=True)
class AuditKey:
    secret: bytes
    from_seq: int  # entries with this number and later are keyed
    path: Path | None = None

    @classmethod
    def load_or_create(cls, path: Path, next_seq: int) -> AuditKey:
        """The key in `path`; a new one (keying from `next_seq`) if there is none yet."""
        if not path.exists():
            data = {
                "format": 1,
                "key": secrets.token_hex(32),
                "from_seq": next_seq,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            path.parent.mkdir(parents=True, exist_ok=True)
            try:  # O_EXCL: two processes starting at once make one key, not two
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(data, fh)
                    fh.flush()
                    os.fsync(fh.fileno())
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(bytes.fromhex(data["key"]), int(data["from_seq"]), path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"Der Schlüssel der Protokollkette {path} ist unlesbar oder beschädigt ({exc}). "
                "Bitte aus der Sicherung wiederherstellen; ohne ihn lässt sich die Kette "
                "nicht mehr vollständig prüfen."
            ) from None


@dataclass(frozen=True)
class Anchor:
    at: str
    seq: int
    hash: str


class AnchorFile:
    """Append-only lines `{"at", "seq", "hash"}` of the chain's head over time."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> list[Anchor]:
        if not self.path.exists():
            return []
        anchors = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                anchors.append(Anchor(str(data["at"]), int(data["seq"]), str(data["hash"])))
            except (ValueError, KeyError, TypeError):
                raise ConfigError(
                    f"Die Ankerdatei der Protokollkette {self.path} ist in Zeile {number} "
                    "beschädigt; sie wird nur angehängt, nie geändert. Bitte prüfen, wer sie "
                    "verändert hat, und aus der Sicherung wiederherstellen."
                ) from None
        return anchors

    def append(self, seq: int, digest: str) -> Anchor:
        anchor = Anchor(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), seq, digest)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"at": anchor.at, "seq": anchor.seq, "hash": anchor.hash}) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        return anchor

    def anchored_today(self) -> bool:
        anchors = self.read()
        today = dt.datetime.now(dt.UTC).date().isoformat()
        return bool(anchors) and anchors[-1].at.startswith(today)
