"""The Alembic migrations build exactly the schema the ORM models describe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select, text

from protokoll.service.bootstrap import build_context
from protokoll.service.infra import audit, auth
from protokoll.service.infra.db import MIGRATIONS, Database, database_url, make_engine, migrate
from protokoll.service.infra.tables import AuditEntry, Base, User
from tests.support.service import PASSWORD, cheap_password_hashing, service_settings


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"the migrations must have exactly one head, found {heads}"
    return heads[0]


def current_revisions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT version_num FROM alembic_version")))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(database_url("", tmp_path))
    yield engine
    engine.dispose()


def differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, Base.metadata))


def test_migrated_database_matches_the_orm_metadata(engine: Engine) -> None:
    migrate(engine)
    assert differences(engine) == []
    tables = set(inspect(engine).get_table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    assert current_revisions(engine) == [head_revision()]


def test_compare_metadata_would_notice_a_missing_column(engine: Engine) -> None:
    """The comparison above is not vacuous: a schema that lacks a column is reported."""
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE meetings DROP COLUMN title"))
    found = differences(engine)
    added = [d[3].name for d in found if isinstance(d, tuple) and d[0] == "add_column"]
    assert added == ["title"], found


def test_migrate_twice_is_idempotent_and_keeps_data(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    cheap_password_hashing(monkeypatch)
    migrate(engine)
    db = Database(engine)
    with db.session() as s:
        auth.create_user(s, "schreiber", PASSWORD, ["schriftfuehrer"])
    migrate(engine)
    migrate(engine)
    assert current_revisions(engine) == [head_revision()]
    assert differences(engine) == []
    with db.session() as s:
        assert [u.username for u in s.scalars(select(User))] == ["schreiber"]


def test_existing_data_move_into_the_default_municipality(engine: Engine) -> None:
    """Migration 0005 on a database of the single-municipality days: every user and meeting
    belongs to "standard" afterwards, and the audit chain written before still verifies
    (old entries keep their hashes; they have no municipality)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (username, display_name, password_hash, roles, active, "
            "failed_logins, created_at, must_change_password) VALUES ('alt', 'Alt', 'x', "
            "'schriftfuehrer', 1, 0, '2026-01-01 00:00:00', 0)"
        ))  # fmt: skip
        conn.execute(text(
            "INSERT INTO meetings (id, owner_id, body, date, title, agenda_source, created_at) "
            "VALUES ('m1', 1, 'Rat', '2026-01-02', 'Alt', '', '2026-01-02 00:00:00')"
        ))  # fmt: skip
        # an audit entry as the code of those days wrote it (no municipality in its hash)
        at = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
        digest = audit.entry_hash(
            seq=1, at=at, kind="human", action="meeting.created", actor_id=1, actor="alt",
            meeting_id="m1", job_id=None, details="{}", prev_hash=audit.GENESIS,
        )  # fmt: skip
        conn.execute(
            text(
                "INSERT INTO audit_log (seq, at, kind, action, actor_id, actor, meeting_id, "
                "job_id, details, prev_hash, hash) VALUES (1, :at, 'human', 'meeting.created', "
                "1, 'alt', 'm1', NULL, '{}', :prev, :hash)"
            ),
            {"at": at.replace(tzinfo=None), "prev": audit.GENESIS, "hash": digest},
        )
        conn.execute(text("UPDATE audit_head SET seq = 1, hash = :h"), {"h": digest})
    migrate(engine)
    with Database(engine).session() as s:
        assert audit.verify(s).ok
        assert s.scalar(select(AuditEntry.municipality_id)) is None
        assert s.scalars(select(AuditEntry).where(audit.of_municipality("standard"))).all()
        assert not s.scalars(select(AuditEntry).where(audit.of_municipality("olfen"))).all()
    assert differences(engine) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT municipality_id FROM users")).scalar() == "standard"
        assert conn.execute(text("SELECT municipality_id FROM meetings")).scalar() == "standard"
        assert conn.execute(text("SELECT id, name FROM municipalities")).all() == [
            ("standard", "Standard")
        ]


def test_downgrade_to_base_and_upgrade_again(engine: Engine) -> None:
    migrate(engine)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert differences(engine) == []


def test_build_context_migrates_a_new_data_dir_and_reuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cheap_password_hashing(monkeypatch)
    settings = service_settings(tmp_path)
    ctx = build_context(settings)
    try:
        assert (tmp_path / "data" / "protokoll.db").is_file()
        assert (tmp_path / "data" / "uploads").is_dir()
        assert (tmp_path / "data" / "meetings").is_dir()
        with ctx.db.session() as s:
            auth.create_user(s, "admin", PASSWORD, ["admin"])
    finally:
        ctx.db.engine.dispose()
    again = build_context(settings)  # a restart: migrations run again, data stays
    try:
        assert current_revisions(again.db.engine) == [head_revision()]
        with again.db.session() as s:
            assert s.scalar(select(User.username)) == "admin"
    finally:
        again.db.engine.dispose()


def test_relative_data_dir_is_resolved_against_the_base(tmp_path: Path) -> None:
    settings = service_settings(tmp_path, data_dir="relativ")
    ctx = build_context(settings, base=tmp_path)
    try:
        assert ctx.layout.data_dir == tmp_path / "relativ"
        assert (tmp_path / "relativ" / "protokoll.db").is_file()
    finally:
        ctx.db.engine.dispose()
