"""Database engine and schema migrations (Alembic; SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from protokoll.config import Settings
from protokoll.errors import ConfigError
from protokoll.service.infra import audit
from protokoll.service.infra.audit_seal import AnchorFile, AuditKey

MIGRATIONS = Path(__file__).parent / "migrations"


def database_url(configured: str, data_dir: Path) -> str:
    return configured or f"sqlite:///{(data_dir / 'protokoll.db').resolve()}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(conn: Any, _record: Any) -> None:
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # web process and worker side by side
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent). A file that is no database,
    or a damaged one, is a German error naming the file and what to do."""

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except (DatabaseError, OperationalError) as exc:
        raise ConfigError(unusable_database(engine, exc)) from None


def disk_full(exc: BaseException) -> bool:
    """Whether a database error (or an OSError) says the disk is full."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    cause = str(getattr(exc, "orig", exc)).lower()
    return isinstance(exc, OperationalError) and (
        "disk is full" in cause or "no space left" in cause
    )


def unusable_database(engine: Engine, exc: Exception) -> str:
    where = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    cause = str(getattr(exc, "orig", exc)).strip()
    if where:
        return (
            f"Die Datenbank {where} ist beschädigt oder keine SQLite-Datenbank ({cause}). "
            "Bitte den Dienst anhalten und die Datei aus der letzten Sicherung wiederherstellen "
            "(docs/service.md); die Aufnahmen und Dokumente im Datenordner "
            "bleiben davon unberührt."
        )
    return (
        f"Die Datenbank unter {engine.url.render_as_string(hide_password=True)} ist nicht "
        f"nutzbar ({cause}). Bitte Verbindung und Zustand der Datenbank prüfen."
    )


class Database:
    """Sessions on the engine. `audit_key` and `audit_anchors` (kept outside the database,
    `audit_seal.py`) travel in each session's `info`, where the audit log finds them."""

    def __init__(
        self, engine: Engine, *, audit_key: object = None, audit_anchors: object = None
    ) -> None:
        self.engine = engine
        self.audit_key = audit_key
        self.audit_anchors = audit_anchors
        self._factory = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on any error."""
        with self._factory() as session:
            session.info["audit_key"] = self.audit_key
            session.info["audit_anchors"] = self.audit_anchors
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise


def audit_seal_files(settings: Settings, data_dir: Path) -> tuple[Path, Path]:
    service = settings.service
    key = service.audit_key_file or Path("audit.key")
    anchors = service.audit_anchor_file or Path("audit-anker.jsonl")
    return (
        key if key.is_absolute() else data_dir / key,
        anchors if anchors.is_absolute() else data_dir / anchors,
    )


def open_database(settings: Settings, data_dir: Path, engine: Engine) -> Database:
    """The database with the audit chain's key and anchors (the key is made on first use)."""
    key_path, anchor_path = audit_seal_files(settings, data_dir)
    with Database(engine).session() as s:
        next_seq = audit.head_seq(s) + 1
    key = AuditKey.load_or_create(key_path, next_seq)
    return Database(engine, audit_key=key, audit_anchors=AnchorFile(anchor_path))
