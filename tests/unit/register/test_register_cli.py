"""`protokoll register export` as a subprocess, against a temporary data folder and config."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from docx import Document

from protokoll.register import validate_register_entry
from protokoll.service.infra.db import Database, make_engine, migrate
from tests.support.audit_log import LOG, write_log

REPO = Path(__file__).resolve().parents[3]


def _data_dir(tmp_path: Path) -> Path:
    """A data folder whose database holds the known log."""
    data = tmp_path / "data"
    data.mkdir()
    engine = make_engine(f"sqlite:///{data / 'protokoll.db'}")
    migrate(engine)
    write_log(Database(engine), LOG)
    engine.dispose()
    return data


def _config(tmp_path: Path, data: Path, register: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[service]\ndata_dir = "{data}"\n\n[output]\ndir = "{tmp_path / "ausgabe"}"\n\n'
        f"[ai_register]\n{register}\n",
        encoding="utf-8",
    )
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    return subprocess.run(
        [sys.executable, "-m", "protokoll", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_export_writes_json_and_docx_and_warns_about_missing_settings(tmp_path: Path) -> None:
    config = _config(tmp_path, _data_dir(tmp_path), 'organization = "Gemeinde Musterstadt"')
    out = tmp_path / "register"
    done = _run("register", "export", "--out", str(out), "--config", str(config))
    assert done.returncode == 0, done.stderr
    entry = json.loads((out / "ki-register.json").read_text(encoding="utf-8"))
    validate_register_entry(entry)
    assert entry["algoritmeregister"]["organization"] == "Gemeinde Musterstadt"
    assert entry["algoritmeregister"]["contact_email"] == "nicht angegeben"
    assert entry["kennzahlen"]["sessions_processed"] == 2
    assert entry["kennzahlen"]["incidents"]["chain_ok"] is True
    # German warning naming the [ai_register] keys to set
    assert "Warnung:" in done.stderr and "[ai_register]" in done.stderr
    assert "contact_email" in done.stderr and "organization" not in done.stderr.split("Hinweis")[0]
    assert "Hinweis: Von 2 im Berichtszeitraum veröffentlichten" in done.stderr
    assert "KI-Registereintrag erstellt: 2 Sitzung(en)" in done.stdout
    assert str(out / "ki-steckbrief.docx") in done.stdout
    doc = Document(io.BytesIO((out / "ki-steckbrief.docx").read_bytes()))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Gemeinde Musterstadt" in cells


def test_complete_settings_give_no_warning_and_default_to_the_output_folder(
    tmp_path: Path,
) -> None:
    register = "\n".join(
        [
            'organization = "Gemeinde Musterstadt"',
            'department = "Büro des Rates"',
            'contact_email = "rat@musterstadt.de"',
            'website = "https://www.musterstadt.de/ki"',
            'legal_basis = "§ 52 GO NRW"',
            'dpia_url = "https://www.musterstadt.de/dsfa.pdf"',
            'begin_date = "2026-03-01"',
        ]
    )
    config = _config(tmp_path, _data_dir(tmp_path), register)
    done = _run("--config", str(config), "register", "export")  # --config before the command
    assert done.returncode == 0, done.stderr
    assert "Warnung" not in done.stderr
    entry = json.loads((tmp_path / "ausgabe" / "ki-register.json").read_text(encoding="utf-8"))
    assert entry["fehlende_angaben"] == []
    assert (tmp_path / "ausgabe" / "ki-steckbrief.docx").is_file()


def test_without_a_database_a_german_error_and_nothing_created(tmp_path: Path) -> None:
    data = tmp_path / "leer"
    config = _config(tmp_path, data, 'organization = "Gemeinde Musterstadt"')
    out = tmp_path / "register"
    done = _run("register", "export", "--out", str(out), "--config", str(config))
    assert done.returncode == 7
    assert done.stderr.startswith("Fehler: Die Datenbank") and "gibt es noch nicht" in done.stderr
    assert "protokoll serve" in done.stderr
    assert not data.exists() and not out.exists()
