"""The Alembic migrations build exactly the schema the ORM models describe."""

from __future__ import annotations

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
from protokoll.service.infra import auth
from protokoll.service.infra.db import MIGRATIONS, Database, database_url, make_engine, migrate
from protokoll.service.infra.tables import Base, User
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
