"""Database engine and schema migrations (Alembic; SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from protokoll.errors import ConfigError

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
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on any error."""
        with self._factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
